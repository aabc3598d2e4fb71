"""SMPP adapter against a real SMSC on loopback (tests/dispatch/smsc.py, written from the spec)."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from pctt.core.text import strip_diacritics
from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    RetryableError,
)
from pctt.dispatch.channels.registry import Registry
from pctt.dispatch.channels.smpp import SmppProvider, submit_outcome
from pctt.dispatch.models import Delivery
from pctt.dispatch.models.outbox import Channel
from pctt.dispatch.worker import Policy, Worker
from tests.dispatch import factories as f
from tests.dispatch.smsc import Smsc, free_port

VI = "Lũ lớn trên sông Hồng: sơ tán ngay khỏi bãi sông."
LONG_VI = "Cảnh báo lũ khẩn cấp, mực nước sông đang lên rất nhanh. " * 4


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_SMPP_PASSWORD", "secret")


def _message(text: str, to: str = "+84912345678", n: int = 1) -> Message:
    return Message(delivery_id=n, idempotency_key=f"pctt-1-1-{n}-1", channel=1, to=to, text=text)


def _provider(smsc: Smsc, **options: Any) -> SmppProvider:
    return SmppProvider(
        "smpp",
        {
            "host": "127.0.0.1",
            "port": smsc.port,
            "system_id": "pctt",
            "password_env": "PCTT_TEST_SMPP_PASSWORD",
            "source_addr": "PCTT-PHUONG",
            "timeout": 2,
            **options,
        },
    )


def _wait_reports(provider: SmppProvider, n: int) -> list[Any]:
    reports: list[Any] = []
    deadline = time.monotonic() + 5
    while len(reports) < n and time.monotonic() < deadline:
        reports += provider.poll_reports()
        time.sleep(0.01)
    return reports


def test_vietnamese_text_goes_as_ucs2_and_the_receipt_comes_back_on_the_session() -> None:
    with Smsc() as smsc:
        provider = _provider(smsc)
        result = provider.send(_message(VI))
        reports = _wait_reports(provider, 1)
        provider.close()
    [submit] = smsc.state.submits
    assert submit.data_coding == 0x08 and submit.text == VI
    assert submit.destination == "84912345678" and submit.source == "PCTT-PHUONG"
    assert submit.registered_delivery == 1
    assert result.provider_message_id == "smsc-1"
    assert [(r.provider_message_id, r.status, r.code) for r in reports] == [
        ("smsc-1", "delivered", "DELIVRD")
    ]
    assert smsc.state.binds == [{"system_id": "pctt"}]
    assert "unbind" in smsc.state.events and "resp 0x80000005" in smsc.state.events


def test_text_without_diacritics_goes_as_gsm7_with_extension_characters() -> None:
    text = strip_diacritics(VI) + " [so 1] {A} ~ 100€"
    with Smsc() as smsc:
        provider = _provider(smsc)
        provider.send(_message(text))
        provider.close()
    [submit] = smsc.state.submits
    assert submit.data_coding == 0x00
    assert submit.text == text
    assert len(submit.short_message) == len(text) + 6  # six ESC pairs


def test_long_message_is_concatenated_with_udh_and_reassembles_exactly() -> None:
    with Smsc() as smsc:
        provider = _provider(smsc)
        result = provider.send(_message(LONG_VI))
        provider.close()
    submits = smsc.state.submits
    assert len(submits) == 4 and all(s.esm_class & 0x40 for s in submits)
    assert {s.udh[2] for s in submits} == {submits[0].udh[2]}  # one reference
    assert [s.udh[4] for s in submits] == [1, 2, 3, 4]
    assert all(len(s.body) <= 134 for s in submits)  # 67 UTF-16 units per segment
    assert smsc.state.messages() == [("84912345678", LONG_VI)]
    assert result.provider_message_id == "smsc-1"


def test_long_message_in_message_payload_is_one_submit() -> None:
    with Smsc() as smsc:
        provider = _provider(smsc, long_messages="payload")
        provider.send(_message(LONG_VI))
        provider.close()
    [submit] = smsc.state.submits
    assert submit.short_message == b"" and 0x0424 in submit.tlvs
    assert submit.text == LONG_VI


def test_one_session_carries_many_messages() -> None:
    with Smsc() as smsc:
        provider = _provider(smsc)
        for n in range(20):
            provider.send(_message(f"Tin {n}", to=f"+8491234{n:04d}", n=n))
        provider.close()
    assert len(smsc.state.submits) == 20 and len(smsc.state.binds) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (0x58, RetryableError),
        (0x14, RetryableError),
        (0x0B, PermanentError),
        (0x99, PermanentError),
    ],
)
def test_submit_status_maps_to_retryable_or_permanent(status: int, error: type) -> None:
    with Smsc(script=[status]) as smsc:
        provider = _provider(smsc)
        with pytest.raises(error, match=f"0x{status:02X}"):
            provider.send(_message("Tin"))
        provider.send(_message("Tin"))  # the session survives a refused message
        provider.close()
    assert len(smsc.state.submits) == 1


def test_status_codes_are_data_and_can_be_overridden() -> None:
    assert submit_outcome(0x0B) == "permanent"
    assert submit_outcome(0x0B, {"0x0B": "retryable"}) == "retryable"
    assert submit_outcome(0x0B, {"junk": "retryable"}) == "permanent"


def test_later_segment_refused_is_permanent_so_the_start_is_not_sent_twice() -> None:
    with Smsc(script=[0, 0x58]) as smsc:
        provider = _provider(smsc)
        with pytest.raises(PermanentError, match="segment 2 of 4"):
            provider.send(_message(LONG_VI))
        provider.close()
    assert len(smsc.state.submits) == 1


def test_wrong_password_is_a_configuration_error() -> None:
    with Smsc(password="other") as smsc:
        provider = _provider(smsc)
        with pytest.raises(ConfigurationError, match="refused the bind"):
            provider.send(_message("Tin"))
        provider.close()
    assert smsc.state.submits == []


def test_smsc_down_is_retryable() -> None:
    provider = SmppProvider("smpp", {"host": "127.0.0.1", "port": free_port(), "timeout": 1})
    with pytest.raises(RetryableError):
        provider.send(_message("Tin"))


def test_keepalives_both_ways() -> None:
    with Smsc(ping_after_bind=True) as smsc:
        provider = _provider(smsc, enquire_link_interval=0)
        provider.send(_message("Tin"))
        _wait_reports(provider, 1)
        provider.poll_reports()
        provider.close()
    assert "resp 0x80000015" in smsc.state.events  # we answered the SMSC's enquire_link
    assert "enquire_link" in smsc.state.events  # and sent our own when idle


def test_hostile_receipts_are_ignored_and_the_session_goes_on() -> None:
    junk = [b"", b"id: stat:", b"id:x stat:NOPE", b"\xff" * 200, b"stat:DELIVRD"]
    with Smsc(extra_deliveries=junk) as smsc:
        provider = _provider(smsc)
        provider.send(_message("Tin"))
        reports = _wait_reports(provider, 1)
        provider.send(_message("Tin 2", n=2))
        provider.close()
    assert [r.provider_message_id for r in reports] == ["smsc-1"]
    assert len(smsc.state.submits) == 2


@pytest.mark.django_db
def test_worker_sends_over_smpp_and_records_the_receipts() -> None:
    _commune, g1, _g2 = f.ward()
    for i in range(3):
        f.subscriber(group=g1, phone=f"+8491234500{i}")
    from pctt.dispatch.actions import create_broadcast
    from pctt.dispatch.fanout import fan_out

    b = create_broadcast(
        reference="alert:smpp:v1",
        status="actual",
        priority="emergency",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
        sms_variant="vi_ascii",
    )
    fan_out(b.pk)
    with Smsc(receipt_stat="UNDELIV") as smsc:
        provider = _provider(smsc)
        worker = Worker(Registry([(Channel.SMS, 1, provider)]), Policy(), rng=random.Random(1))
        worker.drain()
        deadline = time.monotonic() + 5
        while Delivery.objects.filter(status="sent").exists() and time.monotonic() < deadline:
            worker.collect_reports()
            time.sleep(0.02)
        worker.registry.close()
    assert {t for _to, t in smsc.state.messages()} == {f.SMS_CONTENT["sms"]["vi_ascii"]}
    assert all(s.data_coding == 0 for s in smsc.state.submits)
    rows = list(Delivery.objects.values_list("status", "last_error"))
    assert [s for s, _e in rows] == ["failed"] * 3
    assert all("UNDELIV" in e for _s, e in rows)
