"""Background task: poll one upstream feed by id (safe to run twice: messages are deduplicated)."""

from __future__ import annotations

from django_tasks import task

from pctt.alerts.ingest.poll import poll_feed
from pctt.alerts.models import CapFeed


@task()
def poll_feed_task(feed_id: int) -> str:
    """The feed's new `last_status`, or "skipped" when it is gone or disabled."""
    feed = CapFeed.objects.filter(pk=feed_id, is_enabled=True).first()
    if feed is None:
        return "skipped"
    return poll_feed(feed).status
