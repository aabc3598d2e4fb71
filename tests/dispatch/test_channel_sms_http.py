"""HTTP SMS adapter against a real loopback gateway; delivery-report codes as data."""

from __future__ import annotations

from typing import Any

import pytest

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    RetryableError,
)
from pctt.dispatch.channels.sms_http import HttpSmsProvider, parse_report
from tests.dispatch.gateway import Gateway


def _message() -> Message:
    return Message(
        delivery_id=7, idempotency_key="pctt-3-1-9-1", channel=1, to="+84912345678", text="Lũ lớn"
    )


def _provider(gateway: Gateway, **options: Any) -> HttpSmsProvider:
    return HttpSmsProvider(
        "gw",
        {"url": gateway.url, "message_id_field": "data.id", "timeout": 0.5, **options},
    )


def test_json_request_with_auth_header_idempotency_key_and_message_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PCTT_TEST_SMS_TOKEN", "s3cret")
    with Gateway() as gateway:
        provider = _provider(
            gateway,
            token_env="PCTT_TEST_SMS_TOKEN",
            idempotency_header="Idempotency-Key",
            sender="PCTT-PHUONG",
            fields={"to": "msisdn", "text": "content"},
            phone_format="84",
        )
        result = provider.send(_message())
        provider.close()
    [request] = gateway.requests
    assert request["body"] == {
        "msisdn": "84912345678",
        "content": "Lũ lớn",
        "from": "PCTT-PHUONG",
        "reference": "pctt-3-1-9-1",
    }
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Idempotency-Key"] == "pctt-3-1-9-1"
    assert result.provider_message_id == "gw-1"
    assert provider.supports_idempotency


def test_form_encoding_and_national_phone_format() -> None:
    with Gateway() as gateway:
        _provider(gateway, format="form", phone_format="national").send(_message())
    assert gateway.requests[0]["body"]["to"] == "0912345678"
    assert gateway.requests[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, RetryableError),
        (503, RetryableError),
        (429, RetryableError),
        (400, PermanentError),
        (401, PermanentError),
        (404, PermanentError),
    ],
)
def test_5xx_and_429_are_retryable_other_4xx_permanent(status: int, error: type[Exception]) -> None:
    with Gateway() as gateway:
        gateway.script = [(status, '{"error": "bad number +84912345678"}', 0.0)]
        with pytest.raises(error) as info:
            _provider(gateway).send(_message())
    assert "912345678" not in str(info.value)


def test_timeout_is_retryable() -> None:
    with Gateway() as gateway:
        gateway.script = [(200, "{}", 1.5)]
        with pytest.raises(RetryableError, match="timeout"):
            _provider(gateway, timeout=0.2).send(_message())


def test_gateway_down_is_retryable() -> None:
    with Gateway() as gateway:
        url = gateway.url
    with pytest.raises(RetryableError):
        HttpSmsProvider("gw", {"url": url, "timeout": 0.5}).send(_message())


def test_missing_token_variable_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PCTT_TEST_SMS_TOKEN", raising=False)
    with pytest.raises(ConfigurationError):
        HttpSmsProvider(
            "gw", {"url": "http://127.0.0.1:9/", "token_env": "PCTT_TEST_SMS_TOKEN"}
        ).send(_message())


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("DELIVRD", "delivered"),
        ("delivrd", "delivered"),
        ("ACCEPTD", "sent"),
        ("UNDELIV", "failed"),
        ("EXPIRED", "failed"),
        ("REJECTD", "failed"),
        (0, "delivered"),  # a vendor's numeric codes, configured as data
        ("2", "failed"),
    ],
)
def test_delivery_report_codes_map_to_our_statuses(code: object, status: str) -> None:
    options = {"status_codes": {"0": "delivered", "1": "sent", "2": "failed"}}
    report = parse_report({"message_id": "gw-1", "status": code}, options)
    assert report.status == status and report.provider_message_id == "gw-1"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"message_id": "x"},
        {"message_id": "x", "status": "NOPE"},
        {"status": "DELIVRD"},
        {"message_id": ["x"], "status": "DELIVRD"},
        {"message_id": "x", "status": True},
    ],
)
def test_unusable_reports_raise_value_error(body: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        parse_report(body, {})


def test_report_field_names_are_configurable_and_errors_scrubbed() -> None:
    report = parse_report(
        {"msg": {"id": 55}, "stat": "UNDELIV", "err": "handset +84912345678 off"},
        {"report": {"id_field": "msg.id", "status_field": "stat", "error_field": "err"}},
    )
    assert report.provider_message_id == "55" and report.status == "failed"
    assert "912345678" not in report.error
