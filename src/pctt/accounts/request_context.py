"""Who is asking, from where: set per request by `AccountSecurityMiddleware`, read by the
audit log so that actions need not pass the request down."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    path: str


_current: ContextVar[RequestInfo | None] = ContextVar("pctt_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind `PCTT_TRUSTED_PROXIES` proxies, the address the outermost
    trusted proxy saw (the right-hand entries of X-Forwarded-For are the proxies' own)."""
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "PCTT_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def current() -> RequestInfo | None:
    return _current.get()


@contextmanager
def bound(request: HttpRequest) -> Iterator[RequestInfo]:
    info = RequestInfo(ip=client_ip(request), path=request.path[:200])
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)
