"""Each failure is recorded on its own feed; a good feed in the same poll still succeeds."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from pctt.alerts.ingest.fetch import Limits
from pctt.alerts.ingest.poll import ERROR, OK, poll_due
from pctt.alerts.models import CapFeed, UpstreamAlert
from tests.alerts.ingest.conftest import Site, atom_of, cap_alert, cap_file, make_feed

pytestmark = pytest.mark.django_db
LIMITS = Limits(connect_timeout=1, total_timeout=0.5, max_bytes=200_000)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hostile() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
    )


BAD_FEEDS: dict[str, tuple[Callable[[Site], str], str]] = {
    "network": (lambda site: f"http://127.0.0.1:{free_port()}/feed", "Could not reach"),
    "timeout": (lambda site: site.add("/slow", atom_of(cap_alert()), delay=2.0), "in time"),
    "http 500": (lambda site: site.add("/500", b"oops", status=500), "HTTP 500"),
    "oversized": (lambda site: site.add("/big", b" " * 300_000), "too large"),
    "hostile xml": (lambda site: site.add("/xxe", hostile()), "DOCTYPE"),
    "not a feed": (lambda site: site.add("/html", b"<html><body/></html>"), "not an Atom"),
    "broken xml": (lambda site: site.add("/broken", b"<feed><entry>"), "well-formed"),
    "lone cap": (
        lambda site: site.add("/cap", cap_file("oasis_spec_a2_severe_thunderstorm.xml")),
        "not an Atom",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FEEDS))
def test_a_failing_feed_is_recorded_and_the_others_are_polled(site: Site, case: str) -> None:
    make_url, expected = BAD_FEEDS[case]
    bad = make_feed(make_url(site), name="bad")
    good = make_feed(site.add("/good", atom_of(cap_alert())), name="good")

    results = poll_due(limits=LIMITS)

    assert [r.status for r in results] == [ERROR, OK]
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.last_status == ERROR
    assert expected in bad.last_error, bad.last_error
    assert bad.last_polled_at is not None and bad.last_success_at is None
    assert (good.last_status, good.last_error) == (OK, "")
    assert UpstreamAlert.objects.filter(feed=good).count() == 1


def test_an_invalid_message_does_not_stop_the_other_entries(site: Site) -> None:
    site.add("/bad.xml", cap_file("google_invalid_missing_scope.xml"))
    body = atom_of(cap_alert("A")).replace(
        b"</feed>",
        b'<entry><id>bad</id><link href="/bad.xml"/></entry></feed>',
    )
    feed = make_feed(site.add("/feed", body))

    (result,) = poll_due(limits=LIMITS)

    assert (result.status, result.new, len(result.rejected)) == (OK, 1, 1)
    assert "bad: cap.xsd" in CapFeed.objects.get(pk=feed.pk).last_error


def test_a_linked_message_that_fails_to_download_is_retried_next_time(site: Site) -> None:
    body = atom_of(cap_alert("A")).replace(
        b"</feed>", b'<entry><id>gone</id><link href="/missing.xml"/></entry></feed>'
    )
    feed = make_feed(site.add("/feed", body, etag='"v1"'))

    (result,) = poll_due(limits=LIMITS)

    assert result.retry and "HTTP 404" in result.rejected[0]
    feed.refresh_from_db()
    assert feed.etag == ""  # no conditional GET next time: the entry is tried again
