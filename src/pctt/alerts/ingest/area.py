"""Where a CAP alert applies, and whether that touches the ward this installation serves.

A circle `lat,lon radius_km` becomes a 32-sided polygon (local flat-earth approximation, good
to well under 1 % at these sizes). Without geometry on either side, the areaDesc is matched
against the names of the ward and the units above it (e.g. an NCHMF alert for "Lào Cai").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from pctt.cap import Alert, Area
from pctt.cap.geometry import GeometryError, parse_circle, parse_polygon
from pctt.core.text import admin_unit_key_loose

MAX_STORED_VERTICES = 2_000
_KM_PER_DEGREE_LAT = 110.57
_KM_PER_DEGREE_LON_AT_EQUATOR = 111.32
_CIRCLE_SEGMENTS = 8  # per quarter: 32 sides
_NAME_SEPARATORS = re.compile(r"[,;/|\n]+|\s+(?:và|and|-|–)\s+")


def circle_polygon(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    if radius_km <= 0:
        return Point(lon, lat)
    degrees_lat = radius_km / _KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)  # near the poles: keep it finite
    degrees_lon = radius_km / (_KM_PER_DEGREE_LON_AT_EQUATOR * cos_lat)
    unit = Point(0, 0).buffer(1.0, quad_segs=_CIRCLE_SEGMENTS)
    return affinity.affine_transform(unit, [degrees_lon, 0, 0, degrees_lat, lon, lat])


def area_shapes(area: Area) -> Iterator[BaseGeometry]:
    """The polygons and circles of one CAP area as shapely geometry (lon, lat order)."""
    for text in area.polygons:
        try:
            points = parse_polygon(text)
        except GeometryError:
            continue
        polygon = Polygon([(lon, lat) for lat, lon in points])
        yield polygon if polygon.is_valid else shapely.make_valid(polygon)
    for text in area.circles:
        try:
            circle = parse_circle(text)
        except GeometryError:
            continue
        yield circle_polygon(circle.centre[0], circle.centre[1], circle.radius_km)


def unique_areas(alert: Alert) -> list[Area]:
    """Areas of all info blocks, once each (a bilingual alert repeats them per language)."""
    return list(dict.fromkeys(area for info in alert.infos for area in info.areas))


def alert_shape(alert: Alert) -> BaseGeometry | None:
    shapes = [shape for area in unique_areas(alert) for shape in area_shapes(area)]
    if not shapes:
        return None
    return shapes[0] if len(shapes) == 1 else shapely.unary_union(shapes)


def simplified_geojson(
    shape: BaseGeometry | None, max_vertices: int = MAX_STORED_VERTICES
) -> dict[str, Any] | None:
    """GeoJSON small enough to store and draw: at most about `max_vertices` vertices."""
    if shape is None or shape.is_empty:
        return None
    tolerance = 0.0005  # degrees, about 50 m
    while shapely.get_num_coordinates(shape) > max_vertices and tolerance < 1:
        shape = shape.simplify(tolerance, preserve_topology=True)
        tolerance *= 2
    shape = shapely.set_precision(shape, 0.00001)  # about 1 m
    result: dict[str, Any] = json.loads(shapely.to_geojson(shape))
    return result


@dataclass(frozen=True, slots=True)
class WardArea:
    """The ward's geometry and the matching keys of its name and its province's."""

    shape: BaseGeometry | None
    name_keys: frozenset[str]

    @classmethod
    def of(cls, shape: BaseGeometry | None, names: Iterable[str]) -> WardArea:
        keys = frozenset(key for key in map(admin_unit_key_loose, names) if key)
        return cls(shape=shape, name_keys=keys)

    def concerns(self, alert: Alert) -> bool:
        for area in unique_areas(alert):
            shapes = list(area_shapes(area))
            if shapes and self.shape is not None:
                if any(shape.intersects(self.shape) for shape in shapes):
                    return True
                continue
            if self.names(area.area_desc):
                return True
        return False

    def names(self, area_desc: str) -> bool:
        """Does the text name the ward or its province ("Tỉnh Lào Cai", "Lao Cai province")?"""
        parts = [admin_unit_key_loose(part) for part in _NAME_SEPARATORS.split(area_desc)]
        text = f" {admin_unit_key_loose(area_desc)} "
        for key in self.name_keys:
            if key in parts:
                return True
            # Inside a longer text only when the name cannot be a stray word or number.
            if (" " in key or len(key) >= 5) and not key.isdigit() and f" {key} " in text:
                return True
        return False
