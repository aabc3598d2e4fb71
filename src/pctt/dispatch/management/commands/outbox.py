"""`pctt outbox`: drain the delivery outbox until stopped; `--once` drains and exits."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pctt.dispatch.worker import Policy, Worker


class Command(BaseCommand):
    help = "Send queued deliveries through the configured channel providers."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="drain what is due, then exit")
        parser.add_argument("--batch", type=int, default=200, help="deliveries claimed at once")
        parser.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")
        defaults = Policy()
        parser.add_argument(
            "--lease",
            type=float,
            default=defaults.lease,
            help="seconds after which a delivery left 'sending' by a dead worker is recovered",
        )
        parser.add_argument(
            "--base-delay",
            type=float,
            default=defaults.base_delay,
            help="seconds before the first retry (doubled each attempt, with jitter)",
        )
        parser.add_argument(
            "--max-attempts", type=int, default=defaults.max_attempts, help="attempts per delivery"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        policy = Policy(
            batch_size=options["batch"],
            lease=options["lease"],
            base_delay=options["base_delay"],
            max_attempts=options["max_attempts"],
        )
        worker = Worker(policy=policy)
        if options["once"]:
            requeued, failed = worker.recover_stale()
            sent = worker.drain()
            worker.registry.close()
            self.stdout.write(
                _("Processed %(n)d deliveries (%(r)d requeued, %(f)d interrupted).")
                % {"n": sent, "r": requeued, "f": failed}
            )
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        self.stdout.write(_("Outbox worker running; Ctrl-C stops."))
        total = worker.run_forever(stop, idle=options["idle"])
        self.stdout.write(_("Stopped after %(n)d deliveries.") % {"n": total})
