"""Failed sign-ins, counted per username and per IP address; too many lock both out.

A username is refused for `PCTT_LOGIN_LOCKOUT_SECONDS` once it has had
`PCTT_LOGIN_MAX_FAILURES` failures within that window; an address once it has had
`PCTT_LOGIN_MAX_FAILURES_PER_IP` (several officials may share one office address, so the
address limit is higher). The counts live in the database so that every web process sees
them. A successful sign-in clears the username's failures.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pctt.accounts.models import LoginFailure

KEEP = timedelta(days=1)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _since() -> object:
    return timezone.now() - timedelta(seconds=settings.PCTT_LOGIN_LOCKOUT_SECONDS)


def username_locked(username: str) -> bool:
    limit = settings.PCTT_LOGIN_MAX_FAILURES
    return bool(limit) and (
        LoginFailure.objects.filter(username=_key(username), at__gte=_since()).count() >= limit
    )


def ip_locked(ip: str | None) -> bool:
    limit = settings.PCTT_LOGIN_MAX_FAILURES_PER_IP
    if not limit or ip is None:
        return False
    return LoginFailure.objects.filter(ip=ip, at__gte=_since()).count() >= limit


def is_locked(username: str, ip: str | None) -> bool:
    return username_locked(username) or ip_locked(ip)


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(at__lt=timezone.now() - KEEP).delete()
    LoginFailure.objects.create(username=_key(username), ip=ip)


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()
