"""SMS accounting: encoding, length and segments of a message body, as a phone network counts them.

Pure Python, no Django import.

A message goes out in GSM 7-bit (3GPP TS 23.038 default alphabet) when every character is in the
default alphabet or its extension table, otherwise in UCS-2 (really UTF-16: characters outside
the Basic Multilingual Plane, such as emoji, take two code units).

* GSM-7: length in septets; an extension character (``^ { } \\ [ ~ ] | €`` and form feed) is sent
  as ESC + character and takes two. One segment holds 160 septets; a longer message is split into
  segments of 153 (7 septets go to the concatenation header), and an ESC pair is never split
  across two segments, so a segment may hold only 152.
* UCS-2: length in UTF-16 code units; one segment holds 70, a longer message 67 per segment, and
  a surrogate pair is never split.

Segment counts come from the actual split, not from ``ceil(length / 153)``: the two differ when an
escape pair or a surrogate pair straddles a boundary.

The input is NFC-normalised first: Vietnamese typed on some keyboards (or pasted from some
documents) is decomposed (NFD), which doubles the UTF-16 length of every accented letter.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Final, Literal, TypedDict

from pctt.core.text import nfc, strip_diacritics

__all__ = [
    "GSM7_SEGMENT",
    "GSM7_SINGLE_SEGMENT",
    "UCS2_SEGMENT",
    "UCS2_SINGLE_SEGMENT",
    "Encoding",
    "SmsCounts",
    "SmsInfo",
    "SmsPreview",
    "analyse",
    "preview",
    "split",
]

Encoding = Literal["GSM-7", "UCS-2"]

GSM7_SINGLE_SEGMENT: Final = 160
GSM7_SEGMENT: Final = 153
UCS2_SINGLE_SEGMENT: Final = 70
UCS2_SEGMENT: Final = 67

# 3GPP TS 23.038 default alphabet, in code order (0x00-0x7F). 0x1B is ESC, not a character a
# message can contain, so it is left out.
_GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: sent as ESC + character, two septets each.
_GSM7_EXTENSION: Final = "\f^{}\\[]~|€"
_GSM7_ALL: Final = _GSM7_BASIC | frozenset(_GSM7_EXTENSION)
_GSM7_ESCAPED: Final = re.compile(f"[{re.escape(_GSM7_EXTENSION)}]")
# Outside the Basic Multilingual Plane: a surrogate pair in UTF-16, two code units.
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class SmsInfo:
    """What a message costs: ``text`` is the NFC text that is counted and sent."""

    text: str
    encoding: Encoding
    length: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


class SmsCounts(TypedDict):
    text: str
    encoding: Encoding
    length: int
    segments: int


class SmsPreview(TypedDict):
    """The JSON shape of ``pctt sms preview --json``."""

    encoding: Encoding
    length: int
    segments: int
    ascii: SmsCounts


def _encoding(text: str) -> Encoding:
    return "GSM-7" if _GSM7_ALL.issuperset(text) else "UCS-2"


def _gsm7_length(text: str) -> int:
    return len(text) + len(_GSM7_ESCAPED.findall(text))


def _ucs2_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _limits(encoding: Encoding) -> tuple[int, int]:
    """(capacity of a lone segment, capacity of each segment of a concatenated message)."""
    if encoding == "GSM-7":
        return GSM7_SINGLE_SEGMENT, GSM7_SEGMENT
    return UCS2_SINGLE_SEGMENT, UCS2_SEGMENT


def _segment_starts(text: str, encoding: Encoding, length: int) -> list[int]:
    """Index of the first character of each segment."""
    if not text:
        return []
    single, capacity = _limits(encoding)
    if length <= single:
        return [0]
    if length == len(text):  # every character costs one unit: no pair can straddle a boundary
        return list(range(0, len(text), capacity))
    # Characters that cost two units, in order; the cost of text[i:j] is
    # (j - i) + (how many of them fall in [i, j)). Each segment ends at the largest j whose
    # cost fits, found by bisection rather than a walk over every character.
    wide = _GSM7_ESCAPED if encoding == "GSM-7" else _ASTRAL
    doubles = [match.start() for match in wide.finditer(text)]
    starts: list[int] = []
    start = 0
    while start < len(text):
        starts.append(start)
        first = bisect_left(doubles, start)
        low, high = start + 1, min(len(text), start + capacity)
        while low < high:
            middle = (low + high + 1) // 2
            cost = middle - start + bisect_left(doubles, middle, first) - first
            low, high = (middle, high) if cost <= capacity else (low, middle - 1)
        start = low
    return starts


def analyse(text: str) -> SmsInfo:
    """Encoding, length and segment count of ``text`` after NFC normalisation.

    The empty message has length 0 and 0 segments.
    """
    body = nfc(text)
    encoding = _encoding(body)
    length = _gsm7_length(body) if encoding == "GSM-7" else _ucs2_length(body)
    return SmsInfo(body, encoding, length, len(_segment_starts(body, encoding, length)))


def split(text: str) -> list[str]:
    """The segment texts, in order; ``"".join(split(t)) == nfc(t)`` and ``len == segments``."""
    info = analyse(text)
    starts = _segment_starts(info.text, info.encoding, info.length)
    ends = [*starts[1:], len(info.text)] if starts else []
    return [info.text[start:end] for start, end in zip(starts, ends, strict=True)]


def _counts(info: SmsInfo) -> SmsCounts:
    return {
        "text": info.text,
        "encoding": info.encoding,
        "length": info.length,
        "segments": info.segments,
    }


def preview(text: str) -> SmsPreview:
    """The message as written and without diacritics (``đ`` -> ``d``), side by side.

    Vietnamese without diacritics fits GSM-7 unless it holds other characters outside the GSM
    alphabet (curly quotes, en dashes, emoji), which stay as they are.
    """
    as_written = analyse(text)
    without_diacritics = analyse(strip_diacritics(as_written.text))
    return {
        "encoding": as_written.encoding,
        "length": as_written.length,
        "segments": as_written.segments,
        "ascii": _counts(without_diacritics),
    }
