"""The real path: create_broadcast → fan-out task → `pctt outbox --once` → loopback HTTP gateway."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pctt.dispatch.actions import create_broadcast, withdraw_broadcasts
from pctt.dispatch.models import Delivery
from pctt.dispatch.models.outbox import Channel
from pctt.dispatch.reports import broadcast_summary, unreached_subscribers
from pctt.dispatch.tasks import drain_outbox
from tests.dispatch import factories as f
from tests.dispatch.gateway import Gateway

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("var_dir")]


def _setup(gateway: Gateway, n: int = 6, **options: Any) -> Any:
    _commune, g1, g2 = f.ward()
    for i in range(n):
        f.subscriber(group=g1 if i % 2 else g2, phone=f"+8491200{i:04d}")
    f.provider(
        name="gw",
        kind="sms_http",
        options={"url": gateway.url, "timeout": 0.3, "message_id_field": "data.id", **options},
    )
    return g1, g2


def _issue(g1: Any, g2: Any, ref: str = "alert:1:v1") -> Any:
    return create_broadcast(
        reference=ref,
        status="actual",
        priority="emergency",
        area_ids=[g1.pk, g2.pk],
        content={"sms": {"vi": "Lũ lớn: sơ tán ngay."}},
    )


def test_issue_then_outbox_once_sends_each_sms_exactly_once_despite_5xx_and_timeouts(
    settings: Any,
) -> None:
    with Gateway() as gateway:
        g1, g2 = _setup(gateway)
        gateway.script = [(503, "busy", 0.0), (200, "{}", 1.0), (500, "oops", 0.0)]
        broadcast = _issue(g1, g2)  # immediate backend: fan-out and one drain run on commit
        for _ in range(10):
            if not Delivery.objects.exclude(status__in=["sent", "failed"]).exists():
                break
            Delivery.objects.filter(status="queued").update(next_attempt_at=timezone.now())
            call_command("outbox", "--once")
        statuses = list(Delivery.objects.values_list("status", flat=True))
        assert statuses == ["sent"] * 6
        numbers = [r["body"]["to"] for r in gateway.requests]
    # Three failed requests (one a timeout that may have reached the gateway), six accepted.
    assert len(numbers) == 9
    accepted = numbers[3:]
    assert sorted(set(accepted)) == sorted(accepted)
    summary = broadcast_summary(broadcast)
    assert summary["totals"] == {"sent": 6}
    assert summary["by_channel"][Channel.SMS] == {"sent": 6}


def test_cancel_after_fan_out_before_the_worker_runs_sends_nothing(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with Gateway() as gateway:
        g1, g2 = _setup(gateway, n=4)
        broadcast = _issue(g1, g2)
        from pctt.dispatch.fanout import fan_out

        fan_out(broadcast.pk)
        assert Delivery.objects.filter(status="queued").count() == 4
        assert withdraw_broadcasts(reference_prefix="alert:1") == 4
        drain_outbox.func()
        call_command("outbox", "--once")
    assert gateway.requests == []
    assert broadcast_summary(broadcast)["totals"] == {"withdrawn": 4}


def test_unreached_residents_are_those_with_no_sent_delivery_on_any_channel() -> None:
    with Gateway() as gateway:
        g1, g2 = _setup(gateway, n=3)
        gateway.script = [(400, json.dumps({"error": "bad"}), 0.0)]
        broadcast = _issue(g1, g2)
    unreached = list(unreached_subscribers(broadcast))
    assert len(unreached) == 1
    assert unreached[0]["phone"].startswith("+84 91") and "•" in unreached[0]["phone"]
