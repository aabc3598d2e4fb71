"""Several workers draining one outbox at once on PostgreSQL: each delivery is sent once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from pctt.dispatch.actions import create_broadcast
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Consent, Delivery, Subscriber
from tests.dispatch import factories as f
from tests.dispatch.test_worker import Scripted, _worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("var_dir"),
]


def test_four_workers_send_every_delivery_exactly_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer; run with DATABASE_URL=postgres://…")
    _commune, g1, _g2 = f.ward()
    subs = Subscriber.objects.bulk_create(
        Subscriber(phone=f"+849120{i:05d}", residential_group=g1) for i in range(600)
    )
    Consent.objects.bulk_create(
        Consent(subscriber=s, channel="sms", method="paper_form", given_at=s.created_at)
        for s in subs
    )
    b = create_broadcast(
        reference="alert:c:v1",
        status="actual",
        priority="normal",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
    )
    assert fan_out(b.pk) == 600
    providers = [Scripted(f"w{i}") for i in range(4)]

    errors: list[BaseException] = []

    def run(provider: Scripted) -> None:
        try:
            _worker(provider, batch_size=25).drain()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in providers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    keys = [m.idempotency_key for p in providers for m in p.sent]
    assert len(keys) == 600 == len(set(keys))
    assert sum(1 for p in providers if p.sent) >= 2  # the work was actually shared
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
