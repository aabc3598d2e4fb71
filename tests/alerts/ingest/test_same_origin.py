"""Only the origin of the administrator's feed URL is ever fetched."""

from __future__ import annotations

import pytest

from pctt.alerts.ingest.fetch import same_origin
from pctt.alerts.ingest.poll import ERROR, OK, poll_feed
from pctt.alerts.models import UpstreamAlert
from pctt.cap import to_xml
from tests.alerts.ingest.conftest import Site, atom, cap_alert, make_feed

pytestmark = pytest.mark.django_db


def test_links_to_another_origin_are_skipped_and_never_requested(site: Site, serve: object) -> None:
    other: Site = serve()  # type: ignore[operator]
    elsewhere = other.add("/alert.xml", to_xml(cap_alert("X")))
    here = site.add("/alert.xml", to_xml(cap_alert("A")))
    feed = make_feed(site.add("/feed", atom(("x", elsewhere, None), ("a", here, None))))

    result = poll_feed(feed)

    assert (result.status, result.new) == (OK, 1)
    assert other.requests == []
    assert result.skipped and "same-origin" in result.skipped[0]
    feed.refresh_from_db()
    assert "1 link(s) skipped" in feed.last_error
    assert list(UpstreamAlert.objects.values_list("identifier", flat=True)) == ["A"]


def test_a_redirect_to_another_origin_is_refused(site: Site, serve: object) -> None:
    other: Site = serve()  # type: ignore[operator]
    target = other.add("/feed", b"<feed/>")
    feed = make_feed(site.add("/moved", b"", status=302, headers={"Location": target}))

    result = poll_feed(feed)

    assert result.status == ERROR and "same-origin" in result.error
    assert other.requests == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://feeds.example/a.xml", "http://feeds.example/feed"),
        ("http://FEEDS.example:80/a.xml", "http://feeds.example/feed"),
    ],
)
def test_same_origin_accepts_the_feeds_own_origin(url: str, allowed: str) -> None:
    assert same_origin(url, allowed)


@pytest.mark.parametrize(
    "url",
    [
        "https://feeds.example/a.xml",
        "http://feeds.example:8080/a.xml",
        "http://evil.example/a.xml",
        "file:///etc/passwd",
        "http://feeds.example.evil.example/a.xml",
    ],
)
def test_same_origin_refuses_anything_else(url: str) -> None:
    assert not same_origin(url, "http://feeds.example/feed")
