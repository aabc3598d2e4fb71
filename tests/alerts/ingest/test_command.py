"""`pctt feeds add|list|poll`, the loop's clean stop, and the background task."""

from __future__ import annotations

import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pctt.accounts.models import AuditEntry
from pctt.alerts.ingest.tasks import poll_feed_task
from pctt.alerts.models import CapFeed, UpstreamAlert
from tests.alerts.ingest.conftest import Site, atom_of, cap_alert, make_feed

pytestmark = pytest.mark.django_db


def feeds(*args: str) -> str:
    out = StringIO()
    call_command("feeds", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_add_subscribes_a_feed_and_audits_it() -> None:
    feeds("add", "NCHMF", "https://nchmf.example/cap/feed.atom", "--interval", "10")

    feed = CapFeed.objects.get()
    assert (feed.name, feed.interval_minutes, feed.is_enabled) == ("NCHMF", 10, True)
    assert AuditEntry.objects.filter(action="alerts.upstream_feed.add").count() == 1


@pytest.mark.parametrize("url", ["ftp://x.example/feed", "not a url", "file:///etc/passwd"])
def test_add_refuses_what_is_not_an_http_address(url: str) -> None:
    with pytest.raises(CommandError):
        feeds("add", "x", url)
    assert not CapFeed.objects.exists()


def test_poll_one_feed_then_list_shows_how_it_went(site: Site) -> None:
    feed = make_feed(site.add("/feed", atom_of(cap_alert())), name="Trung tâm KTTV")

    output = feeds("poll", "--feed", str(feed.pk))

    assert "ok, 1 new" in output
    listing = feeds("list")
    assert "Trung tâm KTTV" in listing and " ok " in listing


def test_poll_polls_only_the_feeds_that_are_due(site: Site) -> None:
    make_feed(site.add("/feed", atom_of(cap_alert())))
    feeds("poll")
    count = len(site.requests)

    feeds("poll")

    assert len(site.requests) == count  # polled a moment ago, 5-minute interval


def test_the_loop_stops_cleanly_on_sigterm(site: Site) -> None:
    make_feed(site.add("/feed", atom_of(cap_alert())))
    before = signal.getsignal(signal.SIGTERM)

    def stop_when_listening() -> None:
        deadline = time.monotonic() + 10
        while signal.getsignal(signal.SIGTERM) is before and time.monotonic() < deadline:
            time.sleep(0.01)
        if signal.getsignal(signal.SIGTERM) is not before:
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_when_listening, daemon=True).start()
    output = feeds("poll", "--loop", "--wake", "0.05")

    assert output.rstrip().endswith("Đã dừng.")
    assert signal.getsignal(signal.SIGTERM) is before
    assert UpstreamAlert.objects.count() == 1


def test_the_task_polls_the_feed_it_is_given(site: Site) -> None:
    feed = make_feed(site.add("/feed", atom_of(cap_alert())))

    result = poll_feed_task.enqueue(feed.pk)

    assert result.return_value == "ok"
    assert UpstreamAlert.objects.count() == 1


def test_the_task_skips_a_disabled_feed(site: Site) -> None:
    feed = make_feed(site.add("/feed", atom_of(cap_alert())))
    CapFeed.objects.filter(pk=feed.pk).update(is_enabled=False)

    assert poll_feed_task.enqueue(feed.pk).return_value == "skipped"
    assert site.requests == []
