"""GSM modem status reports: ``+CDS:`` lines parsed, matched to messages by TP-MR, and applied to
deliveries through the receipts path (the simulated modem in tests/dispatch/modem.py)."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from pctt.dispatch.actions import create_broadcast
from pctt.dispatch.channels.base import Message, Report
from pctt.dispatch.channels.gsm_modem import GsmModemProvider
from pctt.dispatch.channels.gsm_status import (
    StatusReport,
    outcome,
    parse_pdu,
    parse_text,
    pdu_length,
)
from pctt.dispatch.channels.registry import Registry
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Delivery
from pctt.dispatch.models.outbox import Channel
from pctt.dispatch.worker import Policy, Worker
from tests.dispatch import factories as f
from tests.dispatch.modem import Modem, status_report

TS = '"26/11/29,13:00:00+28","26/11/29,13:00:05+28"'
LONG_VI = "Cảnh báo lũ khẩn cấp, mực nước sông đang lên rất nhanh. " * 3


def _pdu(reference: int, status: int) -> tuple[int, str]:
    """(length, PDU line) of a PDU-mode report, as the simulated modem writes it."""
    _blank, header, line, _end = status_report(0, reference, "+84912345678", status).split("\r\n")
    length = pdu_length(header)
    assert length is not None
    return length, line


# -- the pure parser -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (0x00, "delivered"),  # received by the handset
        (0x01, "delivered"),  # forwarded, delivery unconfirmed: the transaction completed
        (0x02, "delivered"),  # replaced by the service centre
        (0x1F, "delivered"),
        (0x20, "pending"),  # congestion, still trying
        (0x3F, "pending"),
        (0x40, "failed"),  # permanent error
        (0x46, "failed"),  # validity period expired
        (0x5F, "failed"),
        (0x60, "failed"),  # temporary error, the centre gave up
        (0x7F, "failed"),
        (0x80, None),  # reserved
        (0xFF, None),
        (-1, None),
        (256, None),
    ],
)
def test_tp_status_maps_to_delivered_pending_or_failed(status: int, expected: str | None) -> None:
    assert outcome(status) == expected


def test_text_mode_report_gives_reference_status_and_outcome() -> None:
    line = f'+CDS: 6,46,"+84912345678",145,{TS},0'
    assert parse_text(line) == StatusReport(46, 0, "delivered")
    assert parse_text(f"+CDS: 6,7,,,{TS},70") == StatusReport(7, 70, "failed")
    assert parse_text(f'+CDS:  6 , 255 , "0084" , 129 , {TS} , 48 ') == StatusReport(
        255, 48, "pending"
    )
    assert parse_text(f"+CDS: 6,46,,,{TS},70").reason == "validity period expired"  # type: ignore[union-attr]


def test_pdu_mode_report_with_and_without_the_service_centre_field() -> None:
    length, line = _pdu(12, 0)
    assert parse_pdu(length, line) == StatusReport(12, 0, "delivered")
    without_smsc = line[2 * 8 :]  # drop the 8-octet service centre field
    assert parse_pdu(length, without_smsc) == StatusReport(12, 0, "delivered")
    assert parse_pdu(*_pdu(200, 0x62)) == StatusReport(200, 0x62, "failed")
    assert parse_pdu(length, line.lower()) == StatusReport(12, 0, "delivered")


@pytest.mark.parametrize(
    "line",
    [
        "",
        "+CDS:",
        "+CDS: ",
        '+CMTI: "SM",3',
        "+CDS: 6,46",
        f"+CDS: 6,46,,,{TS}",  # no status
        f"+CDS: 6,46,,,{TS},0,1",  # a field too many
        f"+CDS: 5,46,,,{TS},0",  # first octet of an SMS-SUBMIT, not a status report
        f"+CDS: 6,256,,,{TS},0",  # TP-MR is one octet
        f"+CDS: 6,-1,,,{TS},0",
        f"+CDS: 6,46,,,{TS},128",  # reserved status
        f"+CDS: 6,46,,,{TS},999",
        f"+CDS: 6,46,,,{TS},abc",
        f"+CDS: 6,x,,,{TS},0",
        f"+CDS: 6,46,,145x,{TS},0",
        f"+CDS: 6000,46,,,{TS},0",
        f"+CDS: 6,٤٦,,,{TS},0",  # Arabic-Indic digits
        f'+CDS: 6,46,"+849"12",145,{TS},0',  # a stray quote
        f'+CDS: 6,46,"+84912,145,{TS},0',  # an unclosed quote
        "+CDS: 6,46,,,26/11/29,13:00:00+28,26/11/29,13:00:05+28,0",  # unquoted timestamps
        f"+CDS: 6,46,{'9' * 600},145,{TS},0",  # far too long
        f"XX+CDS: 6,46,,,{TS},0",
        f"+CDS: 6,46,,,{TS},0\x00\x1b[2J",
    ],
)
def test_malformed_text_reports_give_nothing(line: str) -> None:
    assert parse_text(line) is None


@pytest.mark.parametrize(
    ("length", "line"),
    [
        (25, ""),
        (25, "0"),  # odd length
        (25, "ZZ" * 33),  # not hex
        (25, "00" * 3),  # truncated
        (26, _pdu(12, 0)[1]),  # length does not match
        (25, "0011" + _pdu(12, 0)[1][4:]),  # SMS-SUBMIT first octet
        (25, "00" + "06" + "0C" + "FF" + "91" + "00" * 21),  # 255-digit address
        (25, _pdu(12, 0)[1][:-2] + "80"),  # reserved status
        (4, "00" + "06" + "0C" + "0B" + "91"),  # cut before the status
        (25, "F" * 2000),
    ],
)
def test_malformed_pdu_reports_give_nothing(length: int, line: str) -> None:
    assert parse_pdu(length, line) is None


@pytest.mark.parametrize("line", ["+CDS: 0", "+CDS: 9999", "+CDS: 25,1", "+CDS: x", "+CDS 25"])
def test_only_a_lone_positive_length_starts_a_pdu_report(line: str) -> None:
    assert pdu_length(line) is None


# -- the adapter and the simulated modem -------------------------------------------------------
def _message(text: str = "Tin", n: int = 1) -> Message:
    return Message(
        delivery_id=n, idempotency_key=f"pctt-1-1-{n}-1", channel=1, to="+84912345678", text=text
    )


def _provider(modem: Modem, **options: Any) -> GsmModemProvider:
    return GsmModemProvider("modem", {"port": modem.path, "timeout": 3, **options})


def _reports(provider: GsmModemProvider, n: int, timeout: float = 3.0) -> list[Report]:
    reports: list[Report] = []
    deadline = time.monotonic() + timeout
    while len(reports) < n and time.monotonic() < deadline:
        reports += provider.poll_reports()
        time.sleep(0.01)
    return reports


def _brief(reports: list[Report]) -> list[tuple[str, str, str]]:
    return [(r.provider_message_id, r.status, r.code) for r in reports]


@pytest.mark.parametrize("mode", ["pdu", "text"])
def test_reports_are_requested_and_come_back_as_receipts(mode: str) -> None:
    with Modem(report_status=[0, 0x46]) as modem:
        provider = _provider(modem, mode=mode)
        first = provider.send(_message("Tin 1"))
        second = provider.send(_message("Tin 2", n=2))
        reports = _reports(provider, 2)
        provider.close()
    assert all(sms.status_report for sms in modem.state.received)
    assert "AT+CNMI=2,0,0,1,0" in modem.state.commands
    assert (first.provider_message_id, second.provider_message_id) == ("mr-1", "mr-2")
    assert _brief(reports) == [("mr-1", "delivered", "0"), ("mr-2", "failed", "70")]
    assert reports[1].error == "validity period expired"


def test_a_report_arriving_during_the_next_command_is_kept_not_taken_as_its_answer() -> None:
    with Modem(hold_reports=True) as modem:
        provider = _provider(modem)
        provider.send(_message("Tin 1"))
        modem.state.hold_reports = False
        modem.release_reports()  # lands on the line while the next AT+CMGS waits for OK
        time.sleep(0.1)
        second = provider.send(_message("Tin 2", n=2))
        reports = _reports(provider, 2)
        provider.close()
    assert second.provider_message_id == "mr-2"
    assert _brief(reports) == [("mr-1", "delivered", "0"), ("mr-2", "delivered", "0")]


def test_temporary_errors_wait_for_the_final_report() -> None:
    with Modem(report_status=[0x30]) as modem:
        provider = _provider(modem)
        provider.send(_message())
        assert _reports(provider, 1, timeout=0.3) == []
        modem.unsolicited(f"\r\n+CDS: 6,1,,,{TS},0\r\n")  # the centre got through later
        reports = _reports(provider, 1)
        provider.close()
    assert _brief(reports) == [("mr-1", "delivered", "0")]


def test_a_long_message_is_delivered_when_every_segment_is_and_failed_when_one_fails() -> None:
    with Modem(report_status=[0, 0, 0, 0, 0x41, 0]) as modem:
        provider = _provider(modem)
        whole = provider.send(_message(LONG_VI))
        segments = len(modem.state.received)
        assert segments == 3
        broken = provider.send(_message(LONG_VI, n=2))
        reports = _reports(provider, 2)
        provider.close()
    assert (whole.provider_message_id, broken.provider_message_id) == ("mr-1", "mr-4")
    assert _brief(reports) == [("mr-1", "delivered", "0"), ("mr-4", "failed", "65")]
    assert reports[1].error == "incompatible destination"


def test_hostile_lines_from_the_modem_are_ignored_and_sending_goes_on() -> None:
    junk = [
        "\r\n+CDS: 6,1,,,garbage\r\n",
        "\r\n+CDS: 25\r\nNOT-HEX\r\n",
        "\r\n+CDS: 999999999999\r\n",
        '\r\n+CDS: 6,1,"' + "9" * 5000 + "\r\n",
        "\r\n\xff\xfe+CDS\r\n".encode("latin-1").decode("ascii", "replace"),
    ]
    with Modem(hold_reports=True) as modem:
        provider = _provider(modem)
        provider.send(_message("Tin 1"))
        for line in junk:
            modem.unsolicited(line.encode("ascii", "replace").decode("ascii"))
        assert _reports(provider, 1, timeout=0.3) == []
        second = provider.send(_message("Tin 2", n=2))
        modem.release_reports()
        reports = _reports(provider, 2)
        provider.close()
    assert second.provider_message_id == "mr-2"
    assert _brief(reports) == [("mr-1", "delivered", "0"), ("mr-2", "delivered", "0")]


def test_a_cut_off_pdu_report_does_not_swallow_the_answer_to_a_command() -> None:
    with Modem(hold_reports=True) as modem:
        provider = _provider(modem)
        provider.send(_message("Tin 1"))
        modem.unsolicited("\r\n+CDS: 25\r\n")  # and no PDU line: the next line is "OK"
        second = provider.send(_message("Tin 2", n=2))
        modem.unsolicited("\r\n+CDS: 25\r\n\r\n")  # a blank line, then the PDU
        _length, line = _pdu(2, 0)
        modem.unsolicited(f"{line}\r\n")
        reports = _reports(provider, 1)
        provider.close()
    assert second.provider_message_id == "mr-2"
    assert _brief(reports) == [("mr-2", "delivered", "0")]


def test_a_modem_that_refuses_to_route_reports_still_sends() -> None:
    with Modem(refuse=("AT+CNMI",)) as modem:
        provider = _provider(modem)
        result = provider.send(_message())
        reports = _reports(provider, 1, timeout=0.3)
        provider.close()
    assert result.provider_message_id == "mr-1" and reports == []


def test_reports_can_be_switched_off() -> None:
    with Modem() as modem:
        provider = _provider(modem, status_reports=False)
        provider.send(_message())
        provider.close()
    assert not modem.state.received[0].status_report
    assert not any(c.startswith("AT+CNMI") for c in modem.state.commands)


# -- end to end: worker, modem, receipts -------------------------------------------------------
@pytest.mark.django_db
def test_worker_sends_through_the_modem_and_applies_its_status_reports() -> None:
    _commune, g1, _g2 = f.ward()
    for i in range(3):
        f.subscriber(group=g1, phone=f"+8491234500{i}")
    b = create_broadcast(
        reference="alert:modem:v1",
        status="actual",
        priority="emergency",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
    )
    fan_out(b.pk)
    # Reports come late (held), one says the validity period expired.
    with Modem(report_status=[0, 0x46, 0x20], hold_reports=True) as modem:
        provider = _provider(modem)
        worker = Worker(Registry([(Channel.SMS, 1, provider)]), Policy(), rng=random.Random(1))
        assert worker.drain() == 3
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
        modem.release_reports()
        deadline = time.monotonic() + 5
        while Delivery.objects.filter(status="sent").count() > 1 and time.monotonic() < deadline:
            worker.collect_reports()
            time.sleep(0.02)
        worker.registry.close()
    rows = dict(Delivery.objects.values_list("provider_message_id", "status"))
    assert rows == {"mr-1": "delivered", "mr-2": "failed", "mr-3": "sent"}  # mr-3 still pending
    error = Delivery.objects.get(provider_message_id="mr-2").last_error
    assert "70" in error and "validity period expired" in error
