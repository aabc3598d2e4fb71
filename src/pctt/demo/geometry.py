"""The demo ward's geography, drawn in code: a fictional ward on a fictional river.

No redistributable ward polygons exist, so the demo draws its own: a 3 km × 2 km ward
split by a meandering river into ten residential groups, a riverside flood zone and a
landslide-prone hillside.
"""

from __future__ import annotations

import math
import random
from typing import Any

from shapely import ops
from shapely.geometry import LineString, Polygon, box, mapping

# A spot inside Lào Cai province, well away from its borders (checked by a test).
ORIGIN_LON, ORIGIN_LAT = 104.39, 22.075
KM_LON = 1 / (111.32 * math.cos(math.radians(ORIGIN_LAT)))
KM_LAT = 1 / 110.57
WIDTH_KM, HEIGHT_KM = 3.0, 2.0


def _lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    return (round(ORIGIN_LON + x_km * KM_LON, 6), round(ORIGIN_LAT + y_km * KM_LAT, 6))


def river_line() -> LineString:
    points = [
        _lonlat(x, HEIGHT_KM / 2 + 0.25 * math.sin(x * 2.1))
        for x in (i * WIDTH_KM / 60 for i in range(-2, 63))
    ]
    return LineString(points)


def ward_polygon() -> Polygon:
    (x0, y0), (x1, y1) = _lonlat(0, 0), _lonlat(WIDTH_KM, HEIGHT_KM)
    return box(x0, y0, x1, y1)


def _column_boundary(x_km: float, rng: random.Random) -> LineString:
    return LineString(
        [_lonlat(x_km + rng.uniform(-0.08, 0.08), y) for y in (-0.1, 0.5, 1.0, 1.5, 2.1)]
    )


def group_polygons(seed: int = 77) -> list[Polygon]:
    """Ten residential groups: five columns, north and south of the river."""
    rng = random.Random(seed)  # noqa: S311 - fictional geometry, not security
    ward = ward_polygon()
    halves = sorted(ops.split(ward, river_line()).geoms, key=lambda g: -g.centroid.y)
    cuts = [_column_boundary(WIDTH_KM * i / 5, rng) for i in range(1, 5)]
    groups: list[Polygon] = []
    for half in halves:
        pieces = [half]
        for cut in cuts:
            pieces = [p for piece in pieces for p in ops.split(piece, cut).geoms]
        groups.extend(
            sorted((p for p in pieces if isinstance(p, Polygon)), key=lambda g: g.centroid.x)
        )
    return groups


def flood_zone() -> Any:
    ward = ward_polygon()
    return river_line().buffer(0.18 * KM_LAT, quad_segs=4).intersection(ward)


def landslide_zone() -> Polygon:
    return Polygon(
        [
            _lonlat(2.2, 1.55),
            _lonlat(2.95, 1.5),
            _lonlat(2.95, 1.98),
            _lonlat(2.35, 1.98),
            _lonlat(2.2, 1.55),
        ]
    )


def station_point() -> tuple[float, float]:
    x = 0.6
    return _lonlat(x, HEIGHT_KM / 2 + 0.25 * math.sin(x * 2.1))


def feature(geom: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": mapping(geom), "properties": properties}
