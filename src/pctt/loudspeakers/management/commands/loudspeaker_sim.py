"""`pctt loudspeaker-sim --clusters N`: simulated loudspeaker controllers over MQTT.

They take the controller ids of the first N loudspeaker clusters in the database (the demo
ward's), or SIM-LOA-01… when there are fewer. Runs until stopped. Send
``{"cmd": "offline", "controller_id": "…"}`` to ``pctt/sim/lenh`` to drop one off the network.
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pctt.dispatch.models import LoudspeakerCluster
from pctt.loudspeakers.simulator import Simulator


def controller_ids(count: int) -> list[str]:
    known = list(
        LoudspeakerCluster.objects.filter(protocol=LoudspeakerCluster.Protocol.MQTT)
        .order_by("controller_id")
        .values_list("controller_id", flat=True)[:count]
    )
    extra = [f"SIM-LOA-{i:02d}" for i in range(1, count + 1) if f"SIM-LOA-{i:02d}" not in known]
    return (known + extra)[:count]


class Command(BaseCommand):
    help = "Simulated loudspeaker clusters over MQTT (heartbeats, receipts, schedules)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--clusters", type=int, default=3)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=1883)
        parser.add_argument("--heartbeat", type=float, default=10.0, help="seconds")
        parser.add_argument(
            "--time-scale", type=float, default=1.0, help="0.1 plays items ten times faster"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["clusters"]
        if not 1 <= count <= 10_000:
            raise CommandError("--clusters must be between 1 and 10000")
        if options["heartbeat"] < 0.1 or options["time_scale"] <= 0:
            raise CommandError("--heartbeat and --time-scale must be positive")
        ids = controller_ids(count)
        simulator = Simulator(
            ids,
            host=options["host"],
            port=options["port"],
            heartbeat_s=options["heartbeat"],
            time_scale=options["time_scale"],
        ).start()
        self.stdout.write(f"Simulating {len(ids)} clusters: {', '.join(ids[:10])}")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_a: stop.set())
        stop.wait()
        simulator.stop()
