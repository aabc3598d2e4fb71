"""A messaging-app official account (Zalo OA style HTTP API), and its delivery events.

The resident follows the ward's official account; the app id they gave at sign-up is the
address. Options of the ``ChannelProvider`` row (defaults follow the Zalo OA v3 message API):

``url``                 the send endpoint (required), e.g. the OA's "customer service" message URL
``token_env``           variable holding the access token (required)
``token_header``        header carrying it (default ``access_token``); ``token_scheme`` (default
                        ``""``; ``"Bearer"`` with ``token_header: Authorization``)
``recipient_field``     dotted path of the recipient in the body (default ``recipient.user_id``)
``text_field``          dotted path of the text (default ``message.text``)
``error_field``         where the API puts its error code in a 200 answer (default ``error``; 0 ok)
``message_id_field``    default ``data.message_id``
``error_codes``         the API's codes → ``permanent`` / ``retryable`` / ``configuration``,
                        added to :data:`ERROR_CODES`; unknown non-zero codes are retryable
``events``              delivery-event names → our statuses, added to :data:`EVENTS`
``timeout``             seconds (default 10)

:data:`ERROR_CODES` holds the codes we rely on from the Zalo OA documentation; a ward using
another vendor (or a newer API version) puts its own in ``error_codes``: they are data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    Provider,
    Report,
    RetryableError,
    SendResult,
    scrub,
    secret,
)

ERROR_CODES: dict[str, str] = {
    "-201": "permanent",  # a parameter is invalid (bad user id, empty text)
    "-213": "permanent",  # the user does not follow the official account
    "-230": "permanent",  # the user has not interacted with the account recently
    "-216": "configuration",  # access token invalid
    "-124": "configuration",  # access token expired
    "-32": "retryable",  # rate limit exceeded
}
#: Delivery events (webhook ``event_name``) → our statuses.
EVENTS: dict[str, str] = {
    "user_received_message": "delivered",
    "user_seen_message": "delivered",
}
RETRYABLE_STATUS = frozenset({408, 425, 429})


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def error_outcome(code: str, overrides: Mapping[str, Any] | None = None) -> str:
    table = {**ERROR_CODES, **{str(k): str(v) for k, v in dict(overrides or {}).items()}}
    return table.get(code, "retryable")


def parse_events(body: Any, options: Mapping[str, Any]) -> list[Report]:
    """Delivery reports from one event callback; ValueError when the body is unusable.

    ``{"event_name": "user_received_message", "message": {"msg_id": "…"}}`` and
    ``{"event_name": "user_seen_message", "message": {"msg_ids": ["…", …]}}``. Other events
    (a follower's message, a follow) carry no report: an empty list.
    """
    if not isinstance(body, Mapping):
        raise ValueError("expected an event object")
    name = body.get("event_name")
    if not isinstance(name, str) or not name or len(name) > 100:
        raise ValueError("missing event_name")
    events = {**EVENTS, **{str(k): str(v) for k, v in dict(options.get("events") or {}).items()}}
    status = events.get(name)
    if status is None:
        return []
    if status not in ("sent", "delivered", "failed"):
        raise ValueError("event mapped to an unknown status")
    message = body.get("message")
    if not isinstance(message, Mapping):
        raise ValueError("missing message")
    ids = message.get("msg_ids", [message.get("msg_id")])
    if not isinstance(ids, list) or not ids or len(ids) > 1000:
        raise ValueError("missing message ids")
    reports = []
    for item in ids:
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item):
            raise ValueError("bad message id")
        reports.append(Report(str(item)[:100], status, name[:32]))
    return reports


class MessagingAppProvider(Provider):
    kind = "messaging_app"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            timeout = float(self.options.get("timeout", 10))
            self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        return self._client

    def try_send(self, message: Message) -> SendResult:
        url = str(self.options.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError("option url is missing or not http(s)")
        if not message.to:
            raise PermanentError("no app id")
        token = secret(self.options, "token_env")
        scheme = str(self.options.get("token_scheme", ""))
        headers = {
            str(self.options.get("token_header", "access_token")): f"{scheme} {token}".strip()
        }
        body: dict[str, Any] = {}
        _put(body, str(self.options.get("recipient_field", "recipient.user_id")), message.to)
        _put(body, str(self.options.get("text_field", "message.text")), message.text)
        try:
            response = self.client.post(url, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timeout: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"transport: {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status >= 500 or status in RETRYABLE_STATUS:
            raise RetryableError(f"HTTP {status}: {response.text[:200]}")
        if status in (401, 403):
            raise ConfigurationError(f"HTTP {status}: {response.text[:200]}")
        if status >= 400:
            raise PermanentError(f"HTTP {status}: {response.text[:200]}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise RetryableError("the API answered something that is not JSON") from exc
        code = _dig(answer, str(self.options.get("error_field", "error")))
        if code not in (None, 0, "0"):
            text = scrub(str(_dig(answer, "message") or ""), 200)
            reason = f"API error {code}: {text}"
            outcome = error_outcome(str(code), self.options.get("error_codes"))
            if outcome == "permanent":
                raise PermanentError(reason)
            if outcome == "configuration":
                raise ConfigurationError(reason)
            raise RetryableError(reason)
        found = _dig(answer, str(self.options.get("message_id_field", "data.message_id")))
        return SendResult(provider_message_id="" if found is None else str(found)[:100])

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
