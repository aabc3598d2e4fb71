"""CAP polygons (`lat,lon lat,lon …`) and circles (`lat,lon radius_km`) as numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat

Point = tuple[float, float]  # (latitude, longitude), WGS 84


class GeometryError(ValueError):
    """The text is not a CAP polygon/circle; `rule` is the pctt.cap rule id it breaks."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Circle:
    centre: Point
    radius_km: float


# Deleting every allowed character must leave nothing: no inf/nan/exponents/underscores (which
# float() would take), checked in C.
_POLYGON_CHARACTERS = str.maketrans("", "", "0123456789.,-+ \t\n\r")


def parse_polygon(text: str) -> tuple[Point, ...]:
    """Points of a closed CAP polygon (first point repeated last); GeometryError otherwise."""
    _check_characters(text)
    latitudes, longitudes = _checked_coordinates(text)
    return tuple(zip(latitudes, longitudes, strict=True))


def check_polygon(text: str) -> None:
    """GeometryError unless `text` is a valid CAP polygon; builds no points (41k-vertex input)."""
    if _plainly_valid is not None:  # compiled: one pass, whatever the length
        if _plainly_valid(text):
            return
    elif len(text) >= FAST_PATH_MIN_CHARS:
        if polygon_is_plainly_valid(text):
            return
    elif _PLAIN_POLYGON.fullmatch(text) and _closed(text):
        return
    _check_characters(text)
    _checked_coordinates(text)


# A polygon as most senders write it, every coordinate plainly in range (no exponent, no 90.5):
# matched in one regex call. Anything else, valid or not, gets the exact check below, which
# accepts and refuses the same texts and says why.
_LATITUDE = r"[-+]?[1-8]?[0-9](?:\.[0-9]*)?"
_LONGITUDE = r"[-+]?(?:1[0-7]|[1-9])?[0-9](?:\.[0-9]*)?"
_PAIR = f"{_LATITUDE},{_LONGITUDE}"
_PLAIN_POLYGON = re.compile(rf"[ \t\n\r]*{_PAIR}(?:[ \t\n\r]+{_PAIR}){{3,}}[ \t\n\r]*")


def _closed(text: str) -> bool:
    first, last = text.split(None, 1)[0], text.rsplit(None, 1)[-1]
    if first == last:
        return True
    return [float(n) for n in first.split(",")] == [float(n) for n in last.split(",")]


def _check_characters(text: str) -> None:
    if text.translate(_POLYGON_CHARACTERS):
        raise GeometryError("cap.polygon.format", text)


def _checked_coordinates(text: str) -> tuple[list[float], list[float]]:
    pairs = text.split()
    if set(map(str.count, pairs, repeat(","))) - {1}:  # one comma in each pair (map: in C)
        raise GeometryError("cap.polygon.format", text)
    try:
        numbers = list(map(float, text.replace(",", " ").split()))
    except ValueError:
        raise GeometryError("cap.polygon.format", text) from None
    if len(numbers) != 2 * len(pairs):  # '1, 2' or ',2'
        raise GeometryError("cap.polygon.format", text)
    latitudes, longitudes = numbers[0::2], numbers[1::2]
    if len(latitudes) < 4:
        raise GeometryError("cap.polygon.points", f"{len(latitudes)}: {text}")
    if min(latitudes) < -90 or max(latitudes) > 90:
        raise GeometryError("cap.polygon.range", _first_bad(latitudes, 90, pairs))
    if min(longitudes) < -180 or max(longitudes) > 180:
        raise GeometryError("cap.polygon.range", _first_bad(longitudes, 180, pairs))
    if numbers[:2] != numbers[-2:]:
        raise GeometryError("cap.polygon.closed", f"{pairs[0]} ≠ {pairs[-1]}")
    return latitudes, longitudes


def check_circle(text: str) -> None:
    """GeometryError unless `text` is a valid CAP circle, as parse_circle judges; builds nothing."""
    parts = text.split()
    if len(parts) == 2:
        centre = parts[0].split(",")
        if len(centre) == 2:
            try:
                lat, lon, radius = float(centre[0]), float(centre[1]), float(parts[1])
            except ValueError:
                pass
            else:  # NaN fails every comparison
                if -90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= radius < math.inf:
                    return
    parse_circle(text)  # raises, saying why


def parse_circle(text: str) -> Circle:
    parts = text.split()
    centre = parts[0].split(",") if parts else []
    if len(parts) != 2 or len(centre) != 2:
        raise GeometryError("cap.circle.format", text)
    try:
        lat, lon, radius = float(centre[0]), float(centre[1]), float(parts[1])
    except ValueError:
        raise GeometryError("cap.circle.format", text) from None
    if not all(math.isfinite(n) for n in (lat, lon, radius)):
        raise GeometryError("cap.circle.format", text)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius >= 0):
        raise GeometryError("cap.circle.range", text)
    return Circle(centre=(lat, lon), radius_km=radius)


def _first_bad(values: list[float], limit: float, pairs: list[str]) -> str:
    index = next(i for i, value in enumerate(values) if not -limit <= value <= limit)
    return pairs[index]


# --- fast path for large polygons ------------------------------------------------------------
#
# Converting every coordinate of a 41k-vertex polygon with float() costs ~25 ms. Instead, numpy
# looks at boolean masks over 64 KB chunks (one vectorised comparison per character class and
# neighbour, no Python loop over points), and at the non-digit characters in order
# (`bytes.translate` deleting the digits, in C). Ranges come from the integer part of each
# number: a latitude whose integer part is at most two digits (the first 0..8 if two) lies in
# -90..90, a longitude with at most three ("1[0-7]d" if three) in -180..180, whatever the
# fraction. It answers "certainly valid" or "don't know"; on "don't know" (an error, or rare
# spellings such as 90.0, 180, leading zeros, double spaces) the exact per-point check above runs
# and produces the error, so both paths accept and reject exactly the same texts.

FAST_PATH_MIN_CHARS = 6000  # below this, numpy call overhead exceeds the saving
# Bytes per numpy pass, cut at a space. Several whole-text temporaries alive at once would each
# be fresh memory (page faults cost more than the comparisons); chunks this size are reused.
_CHUNK = 1 << 16
_BLANKS = bytes.maketrans(b"\t\n\r", b"   ")
_DIGITS = b"0123456789"
_ALTERNATING = b"," + b" ," * _CHUNK  # the delimiters of a plain chunk: a prefix of this
_SPACE, _PLUS, _COMMA, _MINUS, _DOT, _ZERO, _ONE, _SEVEN, _NINE = b" +,-.0179"


def polygon_is_plainly_valid(text: str) -> bool:
    """True only if `text` is a valid CAP polygon (syntax, range, >= 4 points, closed)."""
    text = text.strip(" \t\n\r")
    if not text.isascii():
        return False
    other_blanks = "\n" in text or "\t" in text or "\r" in text
    # Chunk by chunk from the text itself: no whole-text copy (fresh memory costs page faults).
    start, size, points = 0, len(text), 0
    while start < size:
        blank = _BLANK.search(text, start + _CHUNK)
        end = blank.start() if blank else size
        chunk = text[start:end].encode("ascii")
        pairs = _plain_pairs(chunk.translate(_BLANKS) if other_blanks else chunk)
        if pairs == 0:
            return False
        points += pairs
        start = end + 1  # a second blank after this one fails the next chunk
    first_blank = _BLANK.search(text)
    if points < 4 or first_blank is None:
        return False
    first = text[: first_blank.start()].split(",")
    last = text[_last_blank(text) + 1 :].split(",")
    return [float(n) for n in first] == [float(n) for n in last]


_BLANK = re.compile(r"[ \t\n\r]")


def _last_blank(text: str) -> int:
    return max(text.rfind(blank) for blank in " \t\n\r")


def _plain_pairs(data: bytes) -> int:
    """How many `lat,lon` pairs `data` holds if it is plain, valid pairs; 0 otherwise.

    Plain: single spaces between pairs; each number [sign] digits [. digits] with at least one
    digit (a syntax float() accepts), in range.
    """
    import numpy as np

    size = len(data)
    if size < 3:
        return 0
    chars = np.frombuffer(data, dtype=np.uint8)
    if chars.max() > _NINE:
        return 0
    # The non-digits in order. Without signs and dots, what remains must be comma, space, ...,
    # comma: this also refuses any other character below '0'.
    marks = data.translate(None, _DIGITS)
    delimiters = marks.translate(None, b"+-.")
    if len(delimiters) % 2 == 0:
        return 0
    if not _ALTERNATING.startswith(delimiters) and delimiters != b"," + b" ," * (
        len(delimiters) // 2  # a chunk longer than _CHUNK (no blank for that long)
    ):
        return 0
    # No two dots in one number: a sign may only follow a delimiter (checked below), so only
    # digits can separate two dots of one number.
    dots = np.frombuffer(marks, dtype=np.uint8) == _DOT
    if (dots[1:] & dots[:-1]).any():
        return 0
    # From here every character is a digit, a space, or one of + , - . (43..46).
    digit = chars >= _ZERO
    opener = chars <= _MINUS  # space , + - : what may come before a number's first digit
    delimiter = (chars & 0xF3) == _SPACE  # space or comma
    # A sign only first in a number: at the very start or right after a delimiter.
    if ((opener[1:] & ~delimiter[1:]) > delimiter[:-1]).any():
        return 0
    # Every number has a digit: what ends it (a delimiter, or the end) follows a digit, or a
    # dot that follows a digit.
    tail = data[-2:]
    if not (tail[1:].isdigit() or (tail[1:] == b"." and tail[:1].isdigit())):
        return 0
    if delimiter[0] or (delimiter[1] and not digit[0]):
        return 0
    ended_well = digit[1:-1] | ((chars[1:-1] == _DOT) & digit[:-2])
    if (delimiter[2:] > ended_well).any():
        return 0
    # Integer parts of three digits or more, or of two starting with 9: what a latitude may
    # not have and a longitude only as 1[0-7]d. The first number has nothing before it.
    if not -90 <= float(data[: data.find(b",")]) <= 90:
        return 0
    two = opener[:-2] & digit[1:-1] & digit[2:]
    candidates = two[:-1] & (digit[3:] | (chars[1:-2] == _NINE))
    if candidates.any() or (two[-1] and chars[-2] == _NINE):
        at = np.flatnonzero(np.append(candidates, two[-1] and chars[-2] == _NINE)) + 1
        before = chars[at - 1]  # at: the first digit of each such integer part
        signed = (before == _MINUS) | (before == _PLUS)
        if (signed & (at < 2)).any():
            return 0  # the first number, a latitude
        before = np.where(signed, chars[np.maximum(at - 2, 0)], before)
        if (before != _COMMA).any():
            return 0  # a latitude
        padded = np.append(digit, (False, False))
        bad = padded[at + 2] & ((chars[at] != _ONE) | (chars[at + 1] > _SEVEN) | padded[at + 3])
        if bad.any():
            return 0
    return (len(delimiters) + 1) // 2


def _load_compiled() -> Callable[[str], bool] | None:
    try:
        from pctt.cap._fastpolygon import plainly_valid
    except ImportError:
        return None
    return plainly_valid


# pctt.cap._fastpolygon: the same answers as polygon_is_plainly_valid, from one pass in C.
_plainly_valid = _load_compiled()


def fast_polygon_in_use() -> bool:
    return _plainly_valid is not None


def use_compiled_polygon_check(enabled: bool) -> bool:
    """Switch between the compiled and the numpy fast path (for tests); returns the old state."""
    global _plainly_valid
    was = _plainly_valid is not None
    _plainly_valid = _load_compiled() if enabled else None
    return was
