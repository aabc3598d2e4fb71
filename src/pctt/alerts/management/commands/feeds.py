"""`pctt feeds add|list|poll`: upstream CAP feeds from the command line."""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.alerts.ingest.poll import PollResult, poll_due, poll_feed
from pctt.alerts.models import CapFeed

WAKE_SECONDS = 30.0


class Command(BaseCommand):
    help = "Upstream CAP feeds: add one, list them, poll them (once or in a loop)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="subscribe to an Atom or RSS CAP feed")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument("--interval", type=int, default=5, help="minutes between polls")
        commands.add_parser("list", help="the feeds and how their last poll went")
        poll = commands.add_parser("poll", help="poll the feeds that are due (or one feed)")
        poll.add_argument("--feed", type=int, help="poll this feed now, due or not")
        poll.add_argument("--loop", action="store_true", help="keep polling until stopped")
        poll.add_argument(
            "--wake", type=float, default=WAKE_SECONDS, help="seconds between looks at the feeds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options["name"], options["url"], options["interval"])
        elif action == "list":
            self._list()
        elif options["feed"] is not None:
            self._poll_one(options["feed"])
        elif options["loop"]:
            self._loop(options["wake"])
        else:
            self._show(poll_due())

    def _add(self, name: str, url: str, interval: int) -> None:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise CommandError(_("Not an http(s) address: %(url)s") % {"url": url}) from None
        if not 1 <= interval <= 1440:
            raise CommandError(_("The interval must be between 1 and 1440 minutes."))
        if CapFeed.objects.filter(url=url).exists():
            raise CommandError(_("This feed is already subscribed: %(url)s") % {"url": url})
        feed = CapFeed.objects.create(name=name, url=url, interval_minutes=interval)
        log_action("alerts.upstream_feed.add", user=None, instance=feed, data={"url": url})
        self.stdout.write(_("Feed %(id)s added: %(name)s") % {"id": feed.pk, "name": name})

    def _list(self) -> None:
        for feed in CapFeed.objects.order_by("pk"):
            polled = (
                timezone.localtime(feed.last_polled_at).strftime("%d/%m/%Y %H:%M")
                if feed.last_polled_at
                else "—"
            )
            enabled = "" if feed.is_enabled else f" [{_('disabled')}]"
            self.stdout.write(
                f"{feed.pk:>4}  {feed.name}{enabled}  {feed.url}  "
                f"{feed.interval_minutes} min  {feed.last_status or '—'}  {polled}"
            )
            if feed.last_error:
                self.stdout.write(f"      {feed.last_error.splitlines()[0]}")

    def _poll_one(self, feed_id: int) -> None:
        feed = CapFeed.objects.filter(pk=feed_id).first()
        if feed is None:
            raise CommandError(_("No feed with id %(id)s.") % {"id": feed_id})
        self._show([poll_feed(feed)])

    def _loop(self, wake: float) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(_("Polling due feeds every %(s)s s; Ctrl-C stops.") % {"s": wake})
        try:
            while not stop.is_set():
                self._show(poll_due())
                stop.wait(wake)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write(_("Stopped."))

    def _show(self, results: list[PollResult]) -> None:
        for result in results:
            line = (
                f"feed {result.feed_id}: {result.status}, {result.new} new, "
                f"{result.duplicates} known, {len(result.rejected)} rejected, "
                f"{len(result.skipped)} skipped"
            )
            self.stdout.write(line)
            if result.error:
                self.stderr.write(f"  {result.error}")
