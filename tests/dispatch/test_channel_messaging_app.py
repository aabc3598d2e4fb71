"""Messaging-app official account adapter against a real loopback API; its codes as data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    RetryableError,
)
from pctt.dispatch.channels.messaging_app import (
    MessagingAppProvider,
    error_outcome,
    parse_events,
)
from tests.dispatch.loopback import Loopback

TOKEN = "oa-token-123"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_OA_TOKEN", TOKEN)


def _message(to: str = "8412345678901234") -> Message:
    return Message(
        delivery_id=1, idempotency_key="pctt-1-1-1-3", channel=3, to=to, text="Lũ lớn: sơ tán"
    )


def _provider(server: Loopback, **options: Any) -> MessagingAppProvider:
    return MessagingAppProvider(
        "oa", {"url": server.url, "token_env": "PCTT_TEST_OA_TOKEN", "timeout": 0.5, **options}
    )


def _answer(error: int = 0, message: str = "Success") -> tuple[int, str]:
    data = {"data": {"message_id": "zmsg-1"}} if error == 0 else {}
    return 200, json.dumps({"error": error, "message": message, **data})


def test_sends_to_the_follower_with_the_token_header_and_reads_the_message_id() -> None:
    with Loopback(lambda h, b: _answer()) as server:
        provider = _provider(server)
        result = provider.send(_message())
        provider.close()
    [(headers, raw)] = server.requests
    assert headers["access_token"] == TOKEN
    assert json.loads(raw) == {
        "recipient": {"user_id": "8412345678901234"},
        "message": {"text": "Lũ lớn: sơ tán"},
    }
    assert result.provider_message_id == "zmsg-1"


def test_field_names_and_bearer_token_are_configurable() -> None:
    with Loopback(lambda h, b: (200, json.dumps({"code": "0", "id": "x9"}))) as server:
        provider = _provider(
            server,
            token_header="Authorization",
            token_scheme="Bearer",
            recipient_field="to",
            text_field="content.body",
            error_field="code",
            message_id_field="id",
        )
        result = provider.send(_message("u-1"))
        provider.close()
    [(headers, raw)] = server.requests
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(raw) == {"to": "u-1", "content": {"body": "Lũ lớn: sơ tán"}}
    assert result.provider_message_id == "x9"


@pytest.mark.parametrize(
    ("answer", "error", "match"),
    [
        (_answer(-213, "user not follow"), PermanentError, "-213"),
        (_answer(-230), PermanentError, "-230"),
        (_answer(-216, "invalid token"), ConfigurationError, "-216"),
        (_answer(-32, "rate limit"), RetryableError, "-32"),
        (_answer(-999), RetryableError, "-999"),
        ((503, "down"), RetryableError, "503"),
        ((429, "slow down"), RetryableError, "429"),
        ((401, "who"), ConfigurationError, "401"),
        ((400, "bad"), PermanentError, "400"),
        ((200, "<html>not json"), RetryableError, "not JSON"),
    ],
)
def test_api_answers_map_to_outcomes(answer: tuple[int, str], error: type, match: str) -> None:
    with Loopback(lambda h, b: answer) as server:
        provider = _provider(server)
        with pytest.raises(error, match=match):
            provider.send(_message())
        provider.close()


def test_error_text_never_carries_a_phone_number() -> None:
    with Loopback(lambda h, b: _answer(-201, "bad user 0912345678")) as server:
        provider = _provider(server)
        with pytest.raises(PermanentError) as caught:
            provider.send(_message())
        provider.close()
    assert "345678" not in caught.value.reason


def test_error_codes_are_data_and_can_be_overridden() -> None:
    assert error_outcome("-213") == "permanent"
    assert error_outcome("-213", {"-213": "retryable"}) == "retryable"
    assert error_outcome("12345") == "retryable"


def test_missing_token_or_url_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PCTT_TEST_OA_TOKEN")
    with pytest.raises(ConfigurationError):
        MessagingAppProvider(
            "oa", {"url": "http://127.0.0.1:9/", "token_env": "PCTT_TEST_OA_TOKEN"}
        ).send(_message())
    with pytest.raises(ConfigurationError):
        MessagingAppProvider("oa", {"url": "file:///etc/passwd"}).send(_message())


def test_delivery_events_map_to_reports() -> None:
    [r] = parse_events({"event_name": "user_received_message", "message": {"msg_id": "m1"}}, {})
    assert (r.provider_message_id, r.status) == ("m1", "delivered")
    seen = parse_events({"event_name": "user_seen_message", "message": {"msg_ids": ["a", "b"]}}, {})
    assert [x.provider_message_id for x in seen] == ["a", "b"]
    assert parse_events({"event_name": "follow", "message": {}}, {}) == []
    custom = parse_events(
        {"event_name": "bounced", "message": {"msg_id": 7}}, {"events": {"bounced": "failed"}}
    )
    assert custom[0].status == "failed" and custom[0].provider_message_id == "7"


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        {},
        {"event_name": 5},
        {"event_name": "x" * 101},
        {"event_name": "user_received_message"},
        {"event_name": "user_received_message", "message": "m"},
        {"event_name": "user_received_message", "message": {"msg_id": None}},
        {"event_name": "user_received_message", "message": {"msg_id": True}},
        {"event_name": "user_seen_message", "message": {"msg_ids": "abc"}},
        {"event_name": "user_seen_message", "message": {"msg_ids": ["a"] * 1001}},
        {"event_name": "user_seen_message", "message": {"msg_ids": [{"a": 1}]}},
    ],
)
def test_malformed_events_are_refused(body: Any) -> None:
    with pytest.raises(ValueError):
        parse_events(body, {})
