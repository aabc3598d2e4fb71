"""Vietnamese mobile phone numbers: normalise to E.164, validate, mask.

Pure Python, no Django import.

People write the same number in many ways: ``0912 345 678``, ``0912.345.678``, ``+84 912-345-678``,
``84912345678``, ``(+84) 0912345678``, ``0084912345678``. :func:`normalise` turns all of them
into ``+84912345678`` or raises :class:`PhoneError`. Only mobile numbers are accepted (a warning
goes out by SMS); the network prefixes are data (:data:`MOBILE_PREFIXES`), as are the 11-digit
prefixes retired in 2018 (:data:`OLD_PREFIXES`), which still appear on paper forms.

:func:`mask` is what logs, error messages and non-administrators see.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "MOBILE_PREFIXES",
    "OLD_PREFIXES",
    "PhoneError",
    "is_valid",
    "mask",
    "mask_in_text",
    "network",
    "normalise",
]

#: National mobile prefixes (after the leading 0) → network. Source: Ministry of Information and
#: Communications numbering plan as in force since the 2018 conversion of 11-digit numbers.
MOBILE_PREFIXES: Final[dict[str, str]] = {
    **dict.fromkeys(
        ("86", "96", "97", "98", "32", "33", "34", "35", "36", "37", "38", "39"), "Viettel"
    ),
    **dict.fromkeys(("89", "90", "93", "70", "76", "77", "78", "79"), "MobiFone"),
    **dict.fromkeys(("88", "91", "94", "81", "82", "83", "84", "85"), "VinaPhone"),
    **dict.fromkeys(("92", "52", "56", "58"), "Vietnamobile"),
    **dict.fromkeys(("99", "59"), "Gmobile"),
    "87": "Itel",
    "55": "Reddi",
}

#: 11-digit prefixes (after the leading 0) retired in 2018 → their 10-digit replacement.
OLD_PREFIXES: Final[dict[str, str]] = {
    "162": "32",
    "163": "33",
    "164": "34",
    "165": "35",
    "166": "36",
    "167": "37",
    "168": "38",
    "169": "39",
    "120": "70",
    "121": "79",
    "122": "77",
    "126": "76",
    "128": "78",
    "123": "83",
    "124": "84",
    "125": "85",
    "127": "81",
    "129": "82",
    "186": "56",
    "188": "58",
    "199": "59",
}

COUNTRY_CODE: Final = "84"
_SEPARATORS: Final = re.compile(r"[\s.\-/()\u00a0]+")
_MAX_INPUT: Final = 40
# Something that looks like a phone number inside free text (for scrubbing logs).
_PHONE_IN_TEXT: Final = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[\s.\-]?\d){8,13}(?!\d)")
_LONG_DIGITS: Final = re.compile(r"\d{9,}")


class PhoneError(ValueError):
    """The text is not a Vietnamese mobile number. The message never repeats the number."""


def normalise(raw: str) -> str:
    """The E.164 form (``+84`` and nine digits) of a Vietnamese mobile number."""
    if not isinstance(raw, str):
        raise PhoneError("not text")
    if len(raw) > _MAX_INPUT:
        raise PhoneError("too long")
    text = _SEPARATORS.sub("", raw.strip())
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith(COUNTRY_CODE):
            raise PhoneError("not a Vietnamese number")
        national = text[len(COUNTRY_CODE) :]
    elif text.startswith("00"):
        if not text.startswith("00" + COUNTRY_CODE):
            raise PhoneError("not a Vietnamese number")
        national = text[2 + len(COUNTRY_CODE) :]
    elif text.startswith("0"):
        national = text[1:]
    elif text.startswith(COUNTRY_CODE) and len(text) in (11, 12):
        national = text[len(COUNTRY_CODE) :]
    else:
        raise PhoneError("unrecognised format")
    if national.startswith("0"):  # "+84 0912…": the trunk 0 written after the country code
        national = national[1:]
    if not national.isascii() or not national.isdigit():
        raise PhoneError("contains characters other than digits")
    if len(national) == 10 and national[:3] in OLD_PREFIXES:
        national = OLD_PREFIXES[national[:3]] + national[3:]
    if len(national) != 9:
        raise PhoneError("wrong number of digits")
    if national[:2] not in MOBILE_PREFIXES:
        raise PhoneError("not a mobile network prefix")
    return f"+{COUNTRY_CODE}{national}"


def is_valid(raw: str) -> bool:
    try:
        normalise(raw)
    except PhoneError:
        return False
    return True


def network(e164: str) -> str | None:
    """The mobile network of a normalised number (the subscriber may have ported away)."""
    if not e164.startswith("+" + COUNTRY_CODE):
        return None
    return MOBILE_PREFIXES.get(e164[3:5])


def mask(phone: str) -> str:
    """``+84912345678`` → ``+84 91•••••78``: network visible, the person not identifiable."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.startswith("+" + COUNTRY_CODE) and len(digits) == 11:
        national = digits[2:]
        return f"+84 {national[:2]}•••••{national[-2:]}"
    if len(digits) >= 6:
        return f"{digits[:2]}•••{digits[-2:]}"
    return "•••"


def mask_in_text(text: str) -> str:
    """Mask every run of digits in *text* that could be a phone number (for log lines, errors)."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if is_valid(found) or _LONG_DIGITS.search(found):
            return mask(found)
        return found  # a date, a time, an amount: not a number anyone can call

    return _PHONE_IN_TEXT.sub(replace, text)
