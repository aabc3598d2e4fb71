"""`pctt portal rebuild` and `pctt portal watch` (rebuilds when a warning on show expires, and
runs scheduled publishing of library pages)."""

from __future__ import annotations

import argparse
import io
import signal
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pctt.portal import snapshots


class Command(BaseCommand):
    help = "Rebuild the portal's snapshot files of hot pages."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="rebuild the snapshots now")
        watch = sub.add_parser(
            "watch",
            help="rebuild whenever a warning on show expires; publish and expire scheduled pages",
        )
        watch.add_argument("--interval", type=float, default=10.0)
        watch.add_argument(
            "--publish-every",
            type=float,
            default=60.0,
            help="seconds between runs of Wagtail's scheduled publishing and expiry",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = snapshots.rebuild()
        self.stdout.write(_("Snapshots: %(n)d pages.") % {"n": len(manifest["pages"])})
        if options["action"] != "watch":
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        # This process is the portal's clock: it also publishes library pages whose go-live time
        # has come and unpublishes expired ones (Wagtail's publish_scheduled), so a ward needs
        # no cron job for scheduled content (docs/library.md).
        next_publish = 0.0
        while True:
            if time.monotonic() >= next_publish:
                call_command("publish_scheduled", stdout=io.StringIO())
                next_publish = time.monotonic() + options["publish_every"]
            if stop.wait(options["interval"]):
                break
            if snapshots.expired():
                snapshots.rebuild()
