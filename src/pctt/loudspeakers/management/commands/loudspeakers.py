"""`pctt loudspeakers monitor`: heartbeats, receipts, health alerts, schedule pushing,
queued commands (runs in `pctt run`)."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from pctt.dispatch.models import ChannelProvider
from pctt.loudspeakers.monitor import Monitor


def broker() -> tuple[str, int]:
    """The broker of the enabled MQTT loudspeaker provider, or the local one."""
    provider = (
        ChannelProvider.objects.filter(kind="mqtt", enabled=True).order_by("priority").first()
    )
    options = provider.options if provider is not None else {}
    return str(options.get("host", "127.0.0.1")), int(options.get("port", 1883))


class Command(BaseCommand):
    help = "The loudspeaker monitor: device health, schedules pushed ahead, play log."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        monitor = sub.add_parser("monitor", help="run until stopped")
        monitor.add_argument("--interval", type=float, default=0.5)
        monitor.add_argument("--host")
        monitor.add_argument("--port", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = broker()
        monitor = Monitor(host=options["host"] or host, port=options["port"] or port).start()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_a: stop.set())
        monitor.run_forever(stop, interval=max(0.1, options["interval"]))
        monitor.stop()
