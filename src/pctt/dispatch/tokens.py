"""Signed tokens: e-mail unsubscribe links, opt-in codes derived from the secret key."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing

_UNSUBSCRIBE_SALT = "pctt.dispatch.unsubscribe"
CODE_DIGITS = 6


def make_unsubscribe_token(subscriber_id: int, channel: str) -> str:
    return signing.dumps({"s": subscriber_id, "c": channel}, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    if len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    subscriber, channel = data.get("s"), data.get("c")
    if not isinstance(subscriber, int) or not isinstance(channel, str):
        return None
    return subscriber, channel


def opt_in_code(consent_id: int, salt: str) -> str:
    """The code for one consent request: derived from the secret key, never stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"opt-in:{consent_id}:{salt}".encode(), hashlib.sha256
    ).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def hash_code(consent_id: int, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"code:{consent_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()
