"""GSM modem adapter against a simulated modem on a pseudo-terminal (tests/dispatch/modem.py)."""

from __future__ import annotations

from typing import Any

import pytest

from pctt.core.text import strip_diacritics
from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    RetryableError,
)
from pctt.dispatch.channels.gsm import pack_septets, submit_tpdus
from pctt.dispatch.channels.gsm_modem import GsmModemProvider, cms_outcome
from tests.dispatch.modem import Modem, decode_submit

VI = "Lũ lớn trên sông Hồng: sơ tán ngay khỏi bãi sông."
LONG_VI = "Cảnh báo lũ khẩn cấp, mực nước sông đang lên rất nhanh. " * 3
LONG_ASCII = strip_diacritics(LONG_VI) + " {khu vuc 3}"


def _message(text: str, to: str = "+84912345678") -> Message:
    return Message(delivery_id=1, idempotency_key="pctt-1-1-1-1", channel=1, to=to, text=text)


def _provider(modem: Modem, **options: Any) -> GsmModemProvider:
    return GsmModemProvider("modem", {"port": modem.path, "timeout": 3, **options})


def test_vietnamese_text_in_pdu_mode_is_ucs2() -> None:
    with Modem() as modem:
        provider = _provider(modem)
        result = provider.send(_message(VI))
        provider.close()
    [sms] = modem.state.received
    assert (sms.to, sms.text, sms.dcs) == ("+84912345678", VI, 0x08)
    assert result.provider_message_id == "mr-1"
    assert modem.state.commands[:5] == ["AT", "ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CMGF=0"]


def test_text_without_diacritics_is_packed_gsm7() -> None:
    text = strip_diacritics(VI) + " [1] €"
    with Modem() as modem:
        provider = _provider(modem)
        provider.send(_message(text))
        provider.close()
    [sms] = modem.state.received
    assert (sms.text, sms.dcs) == (text, 0x00)


@pytest.mark.parametrize("text", [LONG_VI, LONG_ASCII])
def test_long_messages_are_concatenated_and_reassemble_exactly(text: str) -> None:
    with Modem() as modem:
        provider = _provider(modem)
        provider.send(_message(text))
        provider.close()
    assert len(modem.state.received) >= 2
    assert all(sms.udh for sms in modem.state.received)
    assert modem.messages() == [("+84912345678", text)]


def test_text_mode_sends_ucs2_hex_one_sms_per_segment() -> None:
    with Modem() as modem:
        provider = _provider(modem, mode="text")
        provider.send(_message(LONG_VI))
        provider.close()
    assert "AT+CMGF=1" in modem.state.commands and modem.state.charset == "UCS2"
    assert "".join(sms.text for sms in modem.state.received) == LONG_VI
    assert {sms.to for sms in modem.state.received} == {"+84912345678"}


def test_sim_pin_is_entered_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_SIM_PIN", "1234")
    with Modem(pin="1234") as modem:
        provider = _provider(modem, pin_env="PCTT_TEST_SIM_PIN")
        provider.send(_message("Tin"))
        provider.close()
    assert 'AT+CPIN="1234"' in modem.state.commands and len(modem.state.received) == 1


def test_missing_pin_is_a_configuration_error() -> None:
    with Modem(pin="1234") as modem:
        provider = _provider(modem)
        with pytest.raises(ConfigurationError, match="PIN"):
            provider.send(_message("Tin"))
        provider.close()


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (1, PermanentError),
        (30, PermanentError),
        (42, RetryableError),
        (331, RetryableError),
        (999, RetryableError),
        (310, ConfigurationError),
    ],
)
def test_cms_errors_map_to_permanent_retryable_or_configuration(code: int, error: type) -> None:
    with Modem(script=[code]) as modem:
        provider = _provider(modem)
        with pytest.raises(error, match=f"CMS ERROR: {code}"):
            provider.send(_message("Tin"))
        provider.send(_message("Tin"))  # the modem is still usable
        provider.close()
    assert len(modem.state.received) == 1


def test_cms_table_is_data_and_can_be_overridden() -> None:
    assert cms_outcome(42) == "retryable"
    assert cms_outcome(42, {"42": "permanent"}) == "permanent"
    assert cms_outcome(42, {"x": "permanent"}) == "retryable"


def test_error_after_a_segment_went_is_permanent_to_avoid_duplicates() -> None:
    with Modem(script=[0, 42]) as modem:
        provider = _provider(modem)
        with pytest.raises(PermanentError, match="after 1 segment"):
            provider.send(_message(LONG_VI))
        provider.close()


def test_hung_modem_is_retryable_and_missing_port_is_configuration() -> None:
    with Modem(hang=True) as modem:
        provider = _provider(modem, timeout=0.5)
        with pytest.raises(RetryableError, match="TimeoutError"):
            provider.send(_message("Tin"))
        provider.close()
    with pytest.raises(ConfigurationError, match="serial port"):
        GsmModemProvider("m", {"port": "/nonexistent/tty"}).send(_message("Tin"))


def test_bad_destination_is_permanent_without_touching_the_modem() -> None:
    with pytest.raises(PermanentError):
        GsmModemProvider("m", {"port": "/nonexistent/tty"}).send(_message("Tin", to="abc"))


def test_pdu_encoder_against_the_textbook_example() -> None:
    # "hellohello" packs to E8329BFD4697D9EC37 (the classic GSM 03.38 example).
    assert pack_septets(b"hellohello").hex().upper() == "E8329BFD4697D9EC37"
    [(length, pdu)] = submit_tpdus("+84912345678", "hellohello", reference=0)
    sms = decode_submit(pdu)
    assert (sms.to, sms.text, length) == ("+84912345678", "hellohello", len(pdu) // 2 - 1)
