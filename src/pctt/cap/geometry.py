"""CAP polygons (`lat,lon lat,lon …`) and circles (`lat,lon radius_km`) as numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
    if len(text) >= FAST_PATH_MIN_CHARS and polygon_is_plainly_valid(text):
        return
    _check_characters(text)
    _checked_coordinates(text)


def _check_characters(text: str) -> None:
    if text.translate(_POLYGON_CHARACTERS):
        raise GeometryError("cap.polygon.format", text)


def _checked_coordinates(text: str) -> tuple[list[float], list[float]]:
    pairs = text.split()
    if any(pair.count(",") != 1 for pair in pairs):
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
# looks at the non-digit characters only (sign, dot, comma, space) and at the integer part of
# each number: a latitude whose integer part is at most two digits (the first 0..8 if two) lies
# in -90..90, a longitude with at most three ("1[0-7]d" if three) in -180..180, whatever the
# fraction. It answers "certainly valid" or "don't know"; on "don't know" (an error, or rare
# spellings such as 90.0, 180, leading zeros, double spaces) the exact per-point check above
# runs and produces the error, so both paths accept and reject exactly the same texts.

FAST_PATH_MIN_CHARS = 6000  # below this, numpy call overhead exceeds the saving
_CHUNK = 1 << 16  # bytes per numpy pass; bigger temporaries cost page faults
_BLANKS = bytes.maketrans(b"\t\n\r", b"   ")
_SPACE, _PLUS, _COMMA, _MINUS, _DOT, _ZERO, _ONE, _SEVEN, _NINE = b" +,-.0179"


def polygon_is_plainly_valid(text: str) -> bool:
    """True only if `text` is a valid CAP polygon (syntax, range, >= 4 points, closed)."""
    try:
        data = text.encode("ascii").strip(b" \t\n\r")
    except UnicodeEncodeError:
        return False
    if b"\n" in data or b"\t" in data or b"\r" in data:
        data = data.translate(_BLANKS)
    start, size, points = 0, len(data), 0
    while start < size:
        end = data.find(b" ", start + _CHUNK)
        if end < 0:
            end = size
        pairs = _plain_pairs(data[start:end])
        if pairs == 0:
            return False
        points += pairs
        start = end + 1  # a second blank after this one fails the next chunk
    if points < 4:
        return False
    first = data[: data.find(b" ")].split(b",")
    last = data[data.rfind(b" ") + 1 :].split(b",")
    return [float(n) for n in first] == [float(n) for n in last]


def _plain_pairs(data: bytes) -> int:
    """How many `lat,lon` pairs `data` holds if it is plain, valid pairs; 0 otherwise.

    Plain: single spaces between pairs; valid: the syntax float() accepts, in range.
    """
    import numpy as np

    size = len(data)
    text = np.frombuffer(data + b"  ", dtype=np.uint8)  # two spare bytes for look-ahead
    if size == 0 or text.max() > _NINE:
        return 0
    found = np.flatnonzero(text[:size] < _ZERO)
    # The marks (non-digits), between a virtual space before the text and one after it.
    position: npt.NDArray[np.intp] = np.empty(found.size + 2, np.intp)
    position[0], position[-1], position[1:-1] = -1, size, found
    kind: npt.NDArray[np.uint8] = np.empty(found.size + 2, np.uint8)
    kind[0] = kind[-1] = _SPACE
    kind[1:-1] = text[found]
    space, comma, dot = kind == _SPACE, kind == _COMMA, kind == _DOT
    sign = (kind == _MINUS) | (kind == _PLUS)
    delimiter = space | comma
    if not np.all(delimiter | sign | dot):
        return 0
    gap = np.diff(position) - 1  # digits after each mark (but the last)
    # A sign only right after a delimiter, a dot only right before one: each number is
    # [sign] digits [. digits] with at most one sign and one dot.
    if np.any(sign[1:] & ~(delimiter[:-1] & (gap == 0))) or np.any(dot[:-1] & ~delimiter[1:]):
        return 0
    # Delimiters alternate comma, space, ..., comma (between the virtual spaces) ...
    at = np.flatnonzero(delimiter)
    between = kind[at]
    if between.size % 2 == 0:
        return 0
    if not (np.all(between[1:-1:2] == _COMMA) and np.all(between[2:-1:2] == _SPACE)):
        return 0
    # ... and every number between two of them has a digit (more characters than marks).
    if np.any(np.diff(position[at]) - np.diff(at) < 1):
        return 0
    # The integer part starts after the delimiter, or after the sign when there is one.
    starts = (delimiter[:-1] & ~sign[1:]) | sign[:-1]
    latitude = space[:-1].copy()  # the number follows a space: a latitude
    latitude[1:] |= sign[1:-1] & space[:-2]
    first, second = text[position[:-1] + 1], text[position[:-1] + 2]
    bad_latitude = (gap >= 3) | ((gap == 2) & (first == _NINE))
    bad_longitude = (gap >= 4) | ((gap == 3) & ((first != _ONE) | (second > _SEVEN)))
    if np.any(starts & np.where(latitude, bad_latitude, bad_longitude)):
        return 0
    return (between.size - 1) // 2
