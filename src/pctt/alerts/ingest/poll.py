"""Poll one upstream feed, or every feed that is due: fetch, read, validate, store, record.

Whatever goes wrong with one feed is recorded on that feed (`last_status`, `last_error`) and
never stops the others; an invalid message is recorded and never stops the other entries.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.db.models import Q
from django.utils import timezone

from pctt.alerts.ingest import fetch
from pctt.alerts.ingest.area import WardArea
from pctt.alerts.ingest.index import Entry, FeedError, read_index, split_cap
from pctt.alerts.ingest.messages import describe, describe_issue
from pctt.alerts.ingest.store import TooLong, store_alert
from pctt.alerts.models import CapFeed
from pctt.areas.models import AdminUnit, WardSetting
from pctt.cap import CapError, validate

logger = logging.getLogger(__name__)

OK = "ok"
NOT_MODIFIED = "not_modified"
ERROR = "error"
MAX_ENTRIES = 500
_SHOWN_PROBLEMS = 10


@dataclass
class PollResult:
    feed_id: int
    status: str = OK
    new: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)  # "entry: reason", one per message
    skipped: list[str] = field(default_factory=list)  # links not fetched (other origin)
    error: str = ""
    # An entry could not be fetched: forget the validators so the next poll tries again.
    retry: bool = False

    def summary(self) -> str:
        if self.error:
            return self.error
        problems = self.rejected + self.skipped
        if not problems:
            return ""
        lines = [describe("summary", rejected=len(self.rejected), skipped=len(self.skipped))]
        lines.extend(problems[:_SHOWN_PROBLEMS])
        if len(problems) > _SHOWN_PROBLEMS:
            lines.append(f"… (+{len(problems) - _SHOWN_PROBLEMS})")
        return "\n".join(lines)


def due_feeds(now: datetime | None = None) -> list[CapFeed]:
    now = now or timezone.now()
    feeds = CapFeed.objects.filter(is_enabled=True).filter(
        Q(last_polled_at__isnull=True) | Q(last_polled_at__lte=now)
    )
    return [
        feed
        for feed in feeds.order_by("pk")
        if feed.last_polled_at is None
        or feed.last_polled_at + timedelta(minutes=feed.interval_minutes) <= now
    ]


def poll_due(
    *,
    now: datetime | None = None,
    client: httpx.Client | None = None,
    limits: fetch.Limits = fetch.Limits(),  # noqa: B008 - frozen dataclass
) -> list[PollResult]:
    with _client(client) as http:
        return [poll_feed(feed, client=http, limits=limits) for feed in due_feeds(now)]


def poll_feed(
    feed: CapFeed,
    *,
    client: httpx.Client | None = None,
    limits: fetch.Limits = fetch.Limits(),  # noqa: B008 - frozen dataclass
) -> PollResult:
    """Poll `feed` now and record the outcome on it; never raises for a bad feed."""
    started = timezone.now()
    etag, last_modified = feed.etag, feed.last_modified
    result = PollResult(feed_id=feed.pk)
    try:
        with _client(client) as http:
            fetched = fetch.get(
                http,
                feed.url,
                allowed=feed.url,
                limits=limits,
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
            if fetched.body is None:
                result.status = NOT_MODIFIED
            else:
                etag, last_modified = fetched.etag, fetched.last_modified
                _read_entries(feed, fetched.body, http, limits, result)
    except (fetch.FetchError, FeedError) as problem:
        result.status, result.error = ERROR, describe(problem.code, problem.detail)
    except Exception as error:  # one feed must never stop the others
        logger.exception("unexpected error polling feed %s (%s)", feed.pk, feed.url)
        result.status, result.error = ERROR, describe("feed.unexpected", type(error).__name__)
    _record(feed, result, started, etag, last_modified)
    return result


def _client(client: httpx.Client | None) -> AbstractContextManager[httpx.Client]:
    """The caller's client (left open), or a new one closed afterwards."""
    return nullcontext(client) if client is not None else fetch.make_client()


def _read_entries(
    feed: CapFeed, body: bytes, http: httpx.Client, limits: fetch.Limits, result: PollResult
) -> None:
    index = read_index(body, feed.url, max_bytes=limits.max_bytes)
    if not index.entries and index.stray_alerts:
        raise FeedError("feed.alert_outside_entry", str(index.stray_alerts))
    ward = ward_area()
    for entry in index.entries[:MAX_ENTRIES]:
        data = _entry_message(entry, feed, http, limits, result)
        if data is not None:
            _take(feed, entry, data, ward, limits, result)


def _entry_message(
    entry: Entry, feed: CapFeed, http: httpx.Client, limits: fetch.Limits, result: PollResult
) -> bytes | None:
    if entry.embedded is not None:
        return entry.embedded
    if entry.link is None:
        _reject(feed, entry, describe("entry.no_link"), result)
        return None
    if not fetch.same_origin(entry.link, feed.url):
        reason = describe("fetch.other_origin", entry.link)
        logger.warning("feed %s: %s skipped: %s", feed.pk, entry.key, reason)
        result.skipped.append(f"{entry.key}: {reason}")
        return None
    try:
        return fetch.get(http, entry.link, allowed=feed.url, limits=limits).body or b""
    except fetch.FetchError as problem:
        result.retry = True
        _reject(feed, entry, describe(problem.code, problem.detail), result)
        return None


def _take(
    feed: CapFeed,
    entry: Entry,
    data: bytes,
    ward: WardArea | None,
    limits: fetch.Limits,
    result: PollResult,
) -> None:
    try:
        documents = split_cap(data, max_bytes=limits.max_bytes)
    except CapError as error:
        _reject(feed, entry, describe_issue(error.issues[0]), result)
        return
    for document in documents:
        report = validate(document.data, max_bytes=limits.max_bytes)
        if not report.valid:
            _reject(feed, entry, describe_issue(report.errors[0]), result)
            continue
        for alert in report.alerts:
            try:
                outcome = store_alert(feed, alert, document.text, ward=ward)
            except TooLong as error:
                _reject(feed, entry, describe("entry.too_long", error), result)
                continue
            if outcome == "new":
                result.new += 1
            else:
                result.duplicates += 1


def _reject(feed: CapFeed, entry: Entry, reason: str, result: PollResult) -> None:
    logger.warning("feed %s: message %s rejected: %s", feed.pk, entry.key, reason)
    result.rejected.append(f"{entry.key}: {reason}")


def ward_area() -> WardArea | None:
    ward = WardSetting.load().ward
    if ward is None:
        return None
    names = [ward.name]
    unit: AdminUnit | None = ward.parent
    while unit is not None:
        names.append(unit.name)
        unit = unit.parent
    return WardArea.of(ward.shape(), names)


def _record(
    feed: CapFeed, result: PollResult, started: datetime, etag: str, last_modified: str
) -> None:
    changes: dict[str, object] = {
        "last_polled_at": started,
        "last_status": result.status,
        "last_error": result.summary(),
    }
    if result.status != ERROR:
        changes["last_success_at"] = started
    if result.status == OK:
        keep = not result.retry
        changes["etag"], changes["last_modified"] = (etag, last_modified) if keep else ("", "")
    # An update, not save(): an administrator may be editing the feed meanwhile.
    CapFeed.objects.filter(pk=feed.pk).update(**changes)
    for name, value in changes.items():
        setattr(feed, name, value)
    logger.info(
        "feed %s polled: %s, %d new, %d known, %d rejected, %d skipped",
        feed.pk,
        result.status,
        result.new,
        result.duplicates,
        len(result.rejected),
        len(result.skipped),
    )
