"""Abuse resistance without surveillance: no captcha service, no stored addresses.

* Rate limits count per keyed hash of the network address (or phone number) in the cache
  (memory by default) and forget it after the window: a few hours at most.
* A honeypot field that people do not see and bots fill in.
* A minimum fill time, measured with a signed timestamp in the form (no cookie, no session).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

FORM_SALT = "pctt.community.form-started"
MIN_FILL_SECONDS = 3.0
MAX_FORM_AGE = 6 * 3600
#: scope → (events allowed, window in seconds)
LIMITS: dict[str, tuple[int, int]] = {
    "portal": (6, 3600),
    "sms": (10, 3600),
    "app": (10, 3600),
    "status": (60, 3600),
    "subscribe": (5, 3600),  # the portal's subscription form: each try sends a code
}


def _digest(material: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, material.encode(), hashlib.sha256).hexdigest()[:24]


def allow(scope: str, material: str) -> bool:
    """Count one event for *material* (an address, a number); False over the limit."""
    limit, window = LIMITS[scope]
    key = f"pctt:community:rl:{scope}:{_digest(material)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit


def client_address(request: HttpRequest) -> str:
    """The peer address as the web server saw it. Behind a reverse proxy, configure the
    proxy to set REMOTE_ADDR (e.g. uwsgi/gunicorn forwarded-allow-ips); we never trust a
    client-supplied X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def started_token(now: float | None = None) -> str:
    return signing.dumps({"t": now if now is not None else time.time()}, salt=FORM_SALT)


def seconds_since(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was shown; None when the token is missing, forged or old."""
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=MAX_FORM_AGE)
        started = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - started
