"""Signed webhook adapter against a real loopback receiver that verifies the signature."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    RetryableError,
)
from pctt.dispatch.channels.webhook import REPLAY_WINDOW, WebhookProvider, sign, verify_signature
from tests.dispatch.loopback import Loopback

SECRET = "shared-secret-value"


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_HOOK_SECRET", SECRET)


def _message(key: str = "pctt-4-1-9-5") -> Message:
    return Message(
        delivery_id=1,
        idempotency_key=key,
        channel=5,
        to="partner",
        text="Lũ lớn: sơ tán ngay",
        priority="emergency",
        status="exercise",
    )


def _provider(server: Loopback, **options: Any) -> WebhookProvider:
    return WebhookProvider(
        "hook",
        {"url": server.url, "secret_env": "PCTT_TEST_HOOK_SECRET", "timeout": 0.5, **options},
    )


class Receiver:
    """What a partner does: verify, refuse stale or forged, de-duplicate by key in the window."""

    def __init__(self) -> None:
        self.accepted: list[dict[str, Any]] = []
        self.seen: set[str] = set()

    def __call__(self, headers: dict[str, str], body: bytes) -> tuple[int, str]:
        if not verify_signature(SECRET, headers.get("X-PCTT-Signature", ""), body):
            return 401, "bad signature"
        key = headers["Idempotency-Key"]
        if key in self.seen:
            return 409, "already received"
        self.seen.add(key)
        self.accepted.append(json.loads(body))
        return 202, "{}"


def test_signed_json_is_verified_and_accepted_once() -> None:
    receiver = Receiver()
    with Loopback(receiver) as server:
        provider = _provider(server, receiver_deduplicates=True)
        provider.send(_message())
        provider.send(_message())  # a resend after a crash: 409 is success, nothing twice
        provider.close()
    [body] = receiver.accepted
    assert body["id"] == "pctt-4-1-9-5" and body["channel"] == "webhook"
    assert body["status"] == "exercise" and body["text"] == "Lũ lớn: sơ tán ngay"
    assert len(server.requests) == 2 and provider.supports_idempotency


def test_a_wrong_secret_is_refused_by_the_receiver_as_permanent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PCTT_TEST_HOOK_SECRET", "not-the-shared-one")
    receiver = Receiver()
    with Loopback(receiver) as server:
        provider = _provider(server)
        with pytest.raises(PermanentError, match="401"):
            provider.send(_message())
        provider.close()
    assert receiver.accepted == []


@pytest.mark.parametrize(
    ("answer", "error"),
    [((500, "x"), RetryableError), ((429, "x"), RetryableError), ((404, "x"), PermanentError)],
)
def test_answers_map_to_outcomes(answer: tuple[int, str], error: type) -> None:
    with Loopback(lambda h, b: answer) as server:
        provider = _provider(server)
        with pytest.raises(error):
            provider.send(_message())
        provider.close()


def test_missing_secret_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PCTT_TEST_HOOK_SECRET")
    with pytest.raises(ConfigurationError):
        WebhookProvider(
            "hook", {"url": "http://127.0.0.1:9/", "secret_env": "PCTT_TEST_HOOK_SECRET"}
        ).send(_message())


def test_signature_outside_the_replay_window_or_tampered_is_refused() -> None:
    body = b'{"id":"x"}'
    now = time.time()
    fresh = sign(SECRET, body, int(now))
    assert verify_signature(SECRET, fresh, body, now=now)
    assert not verify_signature(SECRET, fresh, body, now=now + REPLAY_WINDOW + 1)
    assert not verify_signature(SECRET, fresh, body, now=now - REPLAY_WINDOW - 1)
    assert not verify_signature(SECRET, fresh, body + b" ", now=now)
    assert not verify_signature("other", fresh, body, now=now)


@pytest.mark.parametrize(
    "header",
    ["", "garbage", "t=,v1=", "t=abc,v1=00", "t=1,t=2,v1=00", "v1=00", "t=" + "9" * 20 + ",v1=0",
     "x" * 600],
)  # fmt: skip
def test_malformed_signature_headers_are_refused(header: str) -> None:
    assert not verify_signature(SECRET, header, b"{}")
