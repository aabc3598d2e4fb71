"""Masking contact data before anything is written to the audit log."""

from __future__ import annotations

import re
from typing import Any, Final

from pctt.core import phone as phones

_EMAIL: Final = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)
#: Keys whose values are contact data whatever they look like.
CONTACT_KEYS: Final = frozenset({"phone", "email", "e-mail", "contact", "msisdn"})


def mask_email(match: re.Match[str]) -> str:
    return f"{match.group(0)[:1]}•••@{match.group(1)}"


def mask_text(text: str) -> str:
    return phones.mask_in_text(_EMAIL.sub(mask_email, text))


def _mask_contact_value(value: str) -> str:
    if "@" in value:
        return _EMAIL.sub(mask_email, value) if _EMAIL.search(value) else "•••"
    return phones.mask(value) if value else value


def scrub(value: Any, *, key: str = "") -> Any:
    """A copy of *value* (JSON-like) with phone numbers and e-mail addresses masked: in any
    string, and whole values under keys that name contact data."""
    if isinstance(value, dict):
        return {k: scrub(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v, key=key) for v in value]
    if isinstance(value, str):
        if key.lower() in CONTACT_KEYS:
            return _mask_contact_value(value)
        return mask_text(value)
    return value
