"""The outbox worker: claims, sends once, retries with backoff, fails over, honours withdrawal."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pctt.dispatch.actions import create_broadcast, withdraw_broadcasts
from pctt.dispatch.channels.base import (
    Message,
    PermanentError,
    Provider,
    RetryableError,
    SendResult,
)
from pctt.dispatch.channels.registry import Registry, registry_from_db
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Broadcast, Delivery
from pctt.dispatch.models.outbox import Channel
from pctt.dispatch.worker import Policy, Worker, backoff
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db
S = Delivery.Status


class Scripted(Provider):
    """Test double: answers from a script of outcomes ("ok", "retry", "fail"), then "ok"."""

    kind = "scripted"

    def __init__(self, name: str, script: list[str] | None = None, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.script = list(script or [])
        self.sent: list[Message] = []

    def try_send(self, message: Message) -> SendResult:
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "retry":
            raise RetryableError(f"gateway busy for {message.to}")
        if outcome == "fail":
            raise PermanentError(f"number {message.to} does not exist")
        self.sent.append(message)
        return SendResult(provider_message_id=f"{self.name}-{len(self.sent)}")


def _audience(n: int, *, drills: bool = False) -> tuple[Broadcast, list[int]]:
    _commune, g1, _g2 = f.ward()
    ids = [f.subscriber(group=g1, phone=f"+849123456{i:02d}", drills=drills).pk for i in range(n)]
    b = create_broadcast(
        reference=f"alert:{n}:v1",
        status="actual",
        priority="emergency",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
    )
    fan_out(b.pk)
    return b, ids


def _worker(*providers: Provider, **policy: Any) -> Worker:
    registry = Registry([(Channel.SMS, i, p) for i, p in enumerate(providers)])
    return Worker(registry, Policy(**policy), rng=random.Random(1))


def test_every_delivery_is_sent_once_and_marked_sent() -> None:
    _b, _ids = _audience(5)
    gateway = Scripted("gw")
    worker = _worker(gateway, batch_size=2)
    assert worker.drain() == 5
    assert worker.drain() == 0
    assert len(gateway.sent) == 5
    assert len({m.idempotency_key for m in gateway.sent}) == 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {S.SENT}
    d = Delivery.objects.first()
    assert d is not None and d.provider == "gw" and d.provider_message_id.startswith("gw-")


def test_retryable_error_requeues_with_backoff_then_sends() -> None:
    _audience(1)
    gateway = Scripted("gw", ["retry"])
    worker = _worker(gateway, base_delay=30)
    worker.drain()
    d = Delivery.objects.get()
    assert d.status == S.QUEUED and d.attempts == 1
    assert d.next_attempt_at is not None and d.next_attempt_at > timezone.now()
    assert worker.drain() == 0  # not due yet
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    worker.drain()
    d.refresh_from_db()
    assert d.status == S.SENT and d.attempts == 2 and len(gateway.sent) == 1


def test_gives_up_after_max_attempts_with_the_reason() -> None:
    _audience(1)
    worker = _worker(Scripted("gw", ["retry"] * 10), max_attempts=3, base_delay=0.0)
    for _ in range(5):
        Delivery.objects.filter(status=S.QUEUED).update(next_attempt_at=None)
        worker.drain()
    d = Delivery.objects.get()
    assert d.status == S.FAILED and d.attempts == 3
    assert "gave up after 3 attempts" in d.last_error and "gateway busy" in d.last_error


def test_permanent_error_fails_at_once_without_trying_other_providers() -> None:
    _audience(1)
    backup = Scripted("backup")
    _worker(Scripted("gw", ["fail"]), backup).drain()
    d = Delivery.objects.get()
    assert d.status == S.FAILED and d.attempts == 1 and "does not exist" in d.last_error
    assert backup.sent == []


def test_failing_provider_is_demoted_and_traffic_moves_to_the_next() -> None:
    _audience(6)
    primary = Scripted("primary", ["retry"] * 100)
    backup = Scripted("backup")
    worker = _worker(primary, backup, batch_size=10)
    worker.drain()
    assert len(backup.sent) == 6
    assert worker.registry.is_demoted("primary")
    assert worker.registry.candidates(Channel.SMS)[0] is backup
    assert len(primary.script) == 100 - 3  # demoted after min_samples errors, then skipped


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    policy = Policy(base_delay=10, max_delay=100)
    rng = random.Random(3)
    delays = [backoff(n, policy, rng) for n in (1, 2, 3, 10)]
    assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20 and 20 <= delays[2] <= 40
    assert 50 <= delays[3] <= 100


def test_withdraw_after_fan_out_before_drain_sends_nothing() -> None:
    b, _ids = _audience(20)
    gateway = Scripted("gw")
    worker = _worker(gateway, batch_size=5)
    assert withdraw_broadcasts(reference_prefix=b.reference.rsplit(":", 1)[0]) == 20
    assert worker.drain() == 0
    assert gateway.sent == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {S.WITHDRAWN}


def test_withdraw_during_drain_stops_the_rest() -> None:
    _b, _ids = _audience(12)
    gateway = Scripted("gw")
    worker = _worker(gateway, batch_size=4)
    assert worker.run_once() == 4
    withdrawn = withdraw_broadcasts(reference_prefix="alert:12")
    assert withdrawn == 8
    worker.drain()
    assert len(gateway.sent) == 4
    counts = {s: Delivery.objects.filter(status=s).count() for s in (S.SENT, S.WITHDRAWN)}
    assert counts == {S.SENT: 4, S.WITHDRAWN: 8}


def test_withdraw_before_fan_out_creates_no_queued_deliveries() -> None:
    _commune, g1, _g2 = f.ward()
    f.subscriber(group=g1, phone="+84912340000")
    b = create_broadcast(
        reference="alert:9:v1",
        status="actual",
        priority="normal",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
    )
    withdraw_broadcasts(reference_prefix="alert:9")
    fan_out(b.pk)
    assert not Delivery.objects.filter(status=S.QUEUED).exists()


def test_withdraw_prefix_does_not_touch_other_warnings_or_the_kept_reference() -> None:
    _commune, g1, _g2 = f.ward()
    f.subscriber(group=g1, phone="+84912340001")
    refs = ["alert:4:v1", "alert:42:v1", "alert:4:v2"]
    for ref in refs:
        fan_out(
            create_broadcast(
                reference=ref,
                status="actual",
                priority="normal",
                area_ids=[g1.pk],
                content=f.SMS_CONTENT,
            ).pk
        )
    assert withdraw_broadcasts(reference_prefix="alert:4", keep="alert:4:v2") == 1
    left = Delivery.objects.filter(status=S.QUEUED).values_list("broadcast__reference", flat=True)
    assert sorted(left) == ["alert:42:v1", "alert:4:v2"]


def test_two_workers_never_claim_the_same_delivery() -> None:
    _audience(10)
    a, b = _worker(Scripted("a"), batch_size=4), _worker(Scripted("b"), batch_size=4)
    first, second = a.claim(), b.claim()
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert len(first) == len(second) == 4


def test_stale_sending_is_resent_only_through_idempotent_providers() -> None:
    _audience(2)
    worker = _worker(Scripted("gw"))
    claimed = worker.claim()
    assert len(claimed) == 2
    later = timezone.now() + timedelta(hours=1)
    assert worker.recover_stale(later) == (0, 2)  # Scripted does not de-duplicate
    assert set(Delivery.objects.values_list("status", flat=True)) == {S.FAILED}


def test_consent_withdrawn_after_fan_out_is_honoured() -> None:
    _b, ids = _audience(2)
    from pctt.dispatch.actions import withdraw_consent

    withdraw_consent([ids[0]], "sms", method="office")
    gateway = Scripted("gw")
    _worker(gateway).drain()
    assert [m.to for m in gateway.sent] == ["+84912345601"]


def test_no_provider_configured_waits_and_retries_with_the_reason() -> None:
    _audience(1)
    Worker(Registry(), Policy()).drain()
    d = Delivery.objects.get()
    assert d.status == S.QUEUED and d.next_attempt_at is not None
    assert d.last_error == "no provider configured for this channel"


def test_file_stub_from_the_database_receives_the_chosen_sms_variant(
    outbox_file: Callable[[], list[dict[str, Any]]],
) -> None:
    _commune, g1, _g2 = f.ward()
    f.subscriber(group=g1, phone="+84912340002")
    f.provider(name="file-sms", options={"path": str(outbox_file.path)})  # type: ignore[attr-defined]
    b = create_broadcast(
        reference="alert:7:v1",
        status="actual",
        priority="normal",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
        sms_variant="vi_ascii",
    )
    fan_out(b.pk)
    Worker(registry_from_db()).drain()
    [line] = outbox_file()
    assert line["text"] == "Lu lon: so tan ngay." and line["to"] == "+84912340002"


def test_drills_reach_only_drill_participants_and_are_always_labelled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _commune, g1, _g2 = f.ward()
    f.subscriber(group=g1, phone="+84912340010", drills=False)
    drill = f.subscriber(group=g1, phone="+84912340011", drills=True)
    gateway = Scripted("gw")
    for status, label in (("exercise", "[DIỄN TẬP] "), ("test", "[THỬ NGHIỆM] ")):
        b = create_broadcast(
            reference=f"alert:{status}:v1",
            status=status,
            priority="normal",
            area_ids=[g1.pk],
            content=f.SMS_CONTENT,
        )
        fan_out(b.pk)
        assert set(Delivery.objects.filter(broadcast=b).values_list("recipient_id", flat=True)) == {
            drill.pk
        }
        with caplog.at_level(logging.INFO):
            _worker(gateway).drain()
        assert gateway.sent[-1].text == label + "Lũ lớn: sơ tán ngay."
        assert gateway.sent[-1].status == status


def test_phone_numbers_never_appear_in_clear_in_logs_or_last_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _audience(3)
    worker = _worker(Scripted("gw", ["retry", "fail", "ok"]), max_attempts=1)
    with caplog.at_level(logging.DEBUG):
        worker.drain()
    errors = list(Delivery.objects.values_list("last_error", flat=True))
    assert any("gateway busy" in e for e in errors) and any("does not exist" in e for e in errors)
    text = caplog.text + " ".join(errors)
    for i in range(3):
        number = f"+849123456{i:02d}"
        assert number not in text and number[3:] not in text and "0" + number[3:] not in text
