"""A generic signed webhook: each message POSTed as JSON to a partner's URL, signed with HMAC.

For partners who relay warnings (a district's system, a radio station, a residents' group bot).
Options of the ``ChannelProvider`` row:

``url``                    where to POST (required, http or https)
``secret_env``             variable holding the shared secret (required)
``signature_header``       default ``X-PCTT-Signature``
``receiver_deduplicates``  true when the partner keeps the ``Idempotency-Key`` of every message
                           for at least the replay window (then an interrupted send may be
                           retried safely)
``timeout``                seconds (default 10)

The body is ``{"id", "channel", "to", "status", "priority", "text", "subject", "payload",
"sent_at"}``; ``id`` is also sent as ``Idempotency-Key``. The signature header is
``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed by the secret>``.

**Replay window**: a receiver verifies with :func:`verify_signature` — the HMAC must match and
``t`` must be within :data:`REPLAY_WINDOW` seconds (300) of its clock, either way — and keeps the
``Idempotency-Key`` values it accepted for at least that window, answering a repeat with 2xx
(or 409) without acting twice. A captured request replayed later than the window is refused
for its stale timestamp; within the window, by its repeated key.

Answers: 2xx and 409 (already received) are success; 408, 425, 429 and 5xx, timeouts and
connection errors are retryable; other 4xx permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    Provider,
    RetryableError,
    SendResult,
    secret,
)

REPLAY_WINDOW = 300
#: Channel values (pctt.dispatch.models.outbox.Channel) as named in the body.
CHANNEL_NAMES = {1: "sms", 2: "email", 3: "app", 4: "loudspeaker", 5: "webhook"}
RETRYABLE_STATUS = frozenset({408, 425, 429})


def sign(key: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    key: str, header: str, body: bytes, *, now: float | None = None, window: int = REPLAY_WINDOW
) -> bool:
    """True when *header* signs *body* with *key* and its timestamp is inside the window."""
    if not key or not header or len(header) > 500:
        return False
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(name, []).append(value)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit() or len(stamps[0]) > 12:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > window:
        return False
    expected = sign(key, body, timestamp).partition("v1=")[2]
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))


class WebhookProvider(Provider):
    kind = "webhook"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supports_idempotency = bool(self.options.get("receiver_deduplicates"))
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            timeout = float(self.options.get("timeout", 10))
            self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        return self._client

    def body(self, message: Message) -> bytes:
        data = {
            "id": message.idempotency_key,
            "channel": CHANNEL_NAMES.get(message.channel, str(message.channel)),
            "to": message.to,
            "status": message.status,
            "priority": message.priority,
            "text": message.text,
            "subject": message.subject,
            "payload": dict(message.payload),
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    def try_send(self, message: Message) -> SendResult:
        url = str(self.options.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError("option url is missing or not http(s)")
        key = secret(self.options, "secret_env")
        body = self.body(message)
        header = str(self.options.get("signature_header", "X-PCTT-Signature"))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.idempotency_key,
            header: sign(key, body, int(time.time())),
        }
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timeout: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"transport: {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status >= 500 or status in RETRYABLE_STATUS:
            raise RetryableError(f"HTTP {status}: {response.text[:200]}")
        if status >= 400 and status != 409:
            raise PermanentError(f"HTTP {status}: {response.text[:200]}")
        return SendResult(provider_message_id=message.idempotency_key[:100])

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
