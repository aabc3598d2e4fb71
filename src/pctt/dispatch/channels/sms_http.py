"""SMS through a generic HTTP gateway, and its delivery reports.

Vietnamese SMS gateways (brandname services) differ in field names and formats, not in kind,
so everything that differs is an option of the ``ChannelProvider`` row:

``url``                 where to POST (required)
``format``              ``"json"`` (default) or ``"form"``
``fields``              our name → the gateway's: ``to``, ``text``, ``sender``, ``reference``
``sender``              the registered brandname
``extra``               constant fields added to every request
``phone_format``        ``"e164"`` (+84912…, default), ``"84"`` (84912…) or ``"national"`` (0912…)
``token_env``           environment variable holding the API token (never the token itself)
``auth_header``         header for the token (default ``Authorization``); ``auth_scheme``
                        (default ``Bearer``; ``""`` for a bare token)
``idempotency_header``  header carrying our idempotency key, when the gateway de-duplicates
``message_id_field``    dotted path of the gateway's message id in its JSON answer
``timeout``             seconds (default 10)
``report``              delivery report fields: ``id_field``, ``status_field``, ``error_field``
``status_codes``        the gateway's report codes → our statuses, added to :data:`STATUS_CODES`

408, 429 and 5xx answers, timeouts and connection errors are retryable; other 4xx permanent.
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

#: Delivery-report codes (SMPP ``stat`` values used by most gateways) → our status.
STATUS_CODES: dict[str, str] = {
    "DELIVRD": "delivered",
    "DELIVERED": "delivered",
    "ACCEPTD": "sent",
    "ENROUTE": "sent",
    "SENT": "sent",
    "UNDELIV": "failed",
    "UNDELIVERED": "failed",
    "EXPIRED": "failed",
    "REJECTD": "failed",
    "REJECTED": "failed",
    "DELETED": "failed",
    "UNKNOWN": "failed",
    "FAILED": "failed",
}
DEFAULT_FIELDS = {"to": "to", "text": "text", "sender": "from", "reference": "reference"}
RETRYABLE_STATUS = frozenset({408, 425, 429})


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def format_phone(e164: str, style: str) -> str:
    if style == "84":
        return e164.lstrip("+")
    if style == "national" and e164.startswith("+84"):
        return "0" + e164[3:]
    return e164


def parse_report(body: Mapping[str, Any], options: Mapping[str, Any]) -> Report:
    """One delivery report from the gateway's callback body; ValueError when unusable."""
    fields = {"id_field": "message_id", "status_field": "status", "error_field": "error"}
    fields.update({k: str(v) for k, v in dict(options.get("report") or {}).items()})
    codes = {
        **STATUS_CODES,
        **{str(k).upper(): str(v) for k, v in dict(options.get("status_codes") or {}).items()},
    }
    message_id = _dig(body, fields["id_field"])
    code = _dig(body, fields["status_field"])
    if not isinstance(message_id, str | int) or isinstance(message_id, bool) or not str(message_id):
        raise ValueError("missing message id")
    if not isinstance(code, str | int) or isinstance(code, bool):
        raise ValueError("missing status")
    status = codes.get(str(code).upper())
    if status not in ("sent", "delivered", "failed"):
        raise ValueError("unknown status code")
    error = _dig(body, fields["error_field"])
    return Report(
        provider_message_id=str(message_id)[:100],
        status=status,
        code=str(code)[:32],
        error=scrub(str(error), 200) if error not in (None, "") else "",
    )


class HttpSmsProvider(Provider):
    kind = "sms_http"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supports_idempotency = bool(self.options.get("idempotency_header"))
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            timeout = float(self.options.get("timeout", 10))
            self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        return self._client

    def request_parts(self, message: Message) -> tuple[dict[str, Any], dict[str, str]]:
        names = {**DEFAULT_FIELDS, **dict(self.options.get("fields") or {})}
        body: dict[str, Any] = dict(self.options.get("extra") or {})
        body[names["to"]] = format_phone(message.to, str(self.options.get("phone_format", "e164")))
        body[names["text"]] = message.text
        if self.options.get("sender"):
            body[names["sender"]] = self.options["sender"]
        if names.get("reference"):
            body[names["reference"]] = message.idempotency_key
        headers: dict[str, str] = {}
        token = secret(self.options, "token_env", required=False)
        if self.options.get("token_env"):
            if not token:
                raise ConfigurationError("the token environment variable is empty")
            scheme = str(self.options.get("auth_scheme", "Bearer"))
            header = str(self.options.get("auth_header", "Authorization"))
            headers[header] = f"{scheme} {token}".strip()
        if self.supports_idempotency:
            headers[str(self.options["idempotency_header"])] = message.idempotency_key
        return body, headers

    def try_send(self, message: Message) -> SendResult:
        url = str(self.options.get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError("option url is missing or not http(s)")
        body, headers = self.request_parts(message)
        try:
            if self.options.get("format", "json") == "form":
                response = self.client.post(url, data=body, headers=headers)
            else:
                response = self.client.post(url, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timeout: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"transport: {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status >= 500 or status in RETRYABLE_STATUS:
            raise RetryableError(f"HTTP {status}: {response.text[:200]}")
        if status >= 400:
            raise PermanentError(f"HTTP {status}: {response.text[:200]}")
        message_id = ""
        field = self.options.get("message_id_field")
        if field:
            try:
                found = _dig(response.json(), str(field))
            except ValueError:
                found = None
            message_id = "" if found is None else str(found)[:100]
        return SendResult(provider_message_id=message_id)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
