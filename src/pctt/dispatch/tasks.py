"""Background tasks. They receive ids only and are safe to run twice."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger("pctt.dispatch.tasks")


@task()
def fan_out_broadcast(broadcast_id: int) -> int:
    from pctt.dispatch.fanout import fan_out

    total = fan_out(broadcast_id)
    transaction.on_commit(lambda: drain_outbox.enqueue(max_batches=50))
    return total


@task()
def drain_outbox(max_batches: int = 50) -> int:
    """Send a batch of due deliveries (for installations running only the task worker)."""
    from pctt.dispatch.worker import Worker

    worker = Worker()
    try:
        worker.recover_stale()
        return worker.drain(max_batches=max_batches)
    finally:
        worker.registry.close()


@task()
def send_opt_in_code(consent_id: int) -> bool:
    from pctt.dispatch.consent import deliver_opt_in_code

    return deliver_opt_in_code(consent_id)
