"""The interface every channel adapter implements.

A provider implements one method, :meth:`Provider.try_send`, and raises :class:`RetryableError`
(try again later, perhaps elsewhere) or :class:`PermanentError` (this message will never go
through this way). The public :meth:`Provider.send` wraps it with the rate limit, timing,
logging and the mapping of unexpected exceptions, so adapters stay small.

Error reasons end up in logs and in ``Delivery.last_error``: they pass through
:func:`pctt.core.phone.mask_in_text` and never contain an address.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pctt.core.phone import mask_in_text
from pctt.dispatch.ratelimit import TokenBucket

logger = logging.getLogger("pctt.dispatch.channels")

_EMAILISH = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+")


def scrub(text: str, limit: int = 480) -> str:
    """Remove phone numbers and e-mail addresses from an error text, and cut it short."""
    return _EMAILISH.sub("•••@•••", mask_in_text(text))[:limit]


class ProviderError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = scrub(reason)
        super().__init__(self.reason)


class RetryableError(ProviderError):
    """Temporary: the gateway is down, slow, rate-limiting, or answered 5xx."""


class PermanentError(ProviderError):
    """This message cannot be sent this way: bad number, refused address, 4xx."""


class ConfigurationError(PermanentError):
    """The provider is misconfigured (missing secret, bad option)."""


@dataclass(frozen=True)
class Message:
    """One message to one address, with the content rendered once per broadcast variant."""

    delivery_id: int
    idempotency_key: str
    channel: int
    to: str
    text: str = ""
    subject: str = ""
    html: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)
    priority: str = "normal"
    status: str = "actual"
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str = ""


@dataclass(frozen=True)
class Report:
    """A delivery report from a provider, its vendor code already mapped to our status."""

    provider_message_id: str
    status: str  # "sent" | "delivered" | "failed"
    code: str
    error: str = ""


def secret(options: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    """The value of the environment variable named by ``options[key]``."""
    name = options.get(key)
    if not name:
        if required:
            raise ConfigurationError(f"option {key} (an environment variable name) is missing")
        return ""
    value = os.environ.get(str(name), "")
    if required and not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


class Provider:
    """Base class of every channel adapter."""

    kind: ClassVar[str] = ""
    #: True when the provider de-duplicates on the idempotency key (safe to resend).
    supports_idempotency: bool = False

    def __init__(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        rate_per_second: float = 0.0,
    ) -> None:
        self.name = name
        self.options: Mapping[str, Any] = options or {}
        self.bucket = TokenBucket(rate_per_second) if rate_per_second > 0 else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def send(self, message: Message) -> SendResult:
        if self.bucket is not None:
            self.bucket.take()
        started = time.perf_counter()
        try:
            result = self.try_send(message)
        except ProviderError as exc:
            self._log(message, started, type(exc).__name__, exc.reason)
            raise
        except (OSError, TimeoutError) as exc:
            error = RetryableError(f"{type(exc).__name__}: {exc}")
            self._log(message, started, "RetryableError", error.reason)
            raise error from exc
        except Exception as exc:  # an adapter bug must not kill the worker
            error = RetryableError(f"unexpected {type(exc).__name__}: {exc}")
            self._log(message, started, "RetryableError", error.reason)
            raise error from exc
        self._log(message, started, "sent", result.provider_message_id)
        return result

    def try_send(self, message: Message) -> SendResult:
        raise NotImplementedError

    def poll_reports(self) -> list[Report]:
        """Delivery reports that arrived on the provider's own connection (SMPP, modem).

        Called by the worker between batches; providers whose reports come by HTTP callback
        return nothing here.
        """
        return []

    def close(self) -> None:
        """Release connections (called when the worker stops)."""

    def _log(self, message: Message, started: float, outcome: str, detail: str) -> None:
        logger.info(
            "delivery %s via %s: %s %s (%.1f ms)",
            message.delivery_id,
            self.name,
            outcome,
            detail,
            (time.perf_counter() - started) * 1000,
        )
