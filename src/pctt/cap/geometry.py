"""CAP polygons (`lat,lon lat,lon …`) and circles (`lat,lon radius_km`) as numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

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
