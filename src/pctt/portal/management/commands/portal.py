"""`pctt portal rebuild` and `pctt portal watch` (rebuilds when a warning on show expires)."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pctt.portal import snapshots


class Command(BaseCommand):
    help = "Rebuild the portal's snapshot files of hot pages."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="rebuild the snapshots now")
        watch = sub.add_parser("watch", help="rebuild whenever a warning on show expires")
        watch.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = snapshots.rebuild()
        self.stdout.write(_("Snapshots: %(n)d pages.") % {"n": len(manifest["pages"])})
        if options["action"] != "watch":
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        while not stop.wait(options["interval"]):
            if snapshots.expired():
                snapshots.rebuild()
