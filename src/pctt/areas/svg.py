"""A ward's outline as inline SVG: the map that works with no JavaScript and no tiles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import shapely
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from shapely.geometry.base import BaseGeometry

from pctt.areas.models import AdminUnit, HazardZone

WIDTH = 640
ZONE_CLASSES = {
    "flood": "zone zone-flood",
    "landslide": "zone zone-landslide",
    "riverside": "zone zone-riverside",
    "coastal": "zone zone-coastal",
}


class _Projection:
    """Equirectangular with cos(latitude) scaling: right for a ward a few km across."""

    def __init__(self, bounds: Sequence[float]) -> None:
        min_lon, min_lat, max_lon, max_lat = bounds
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lon - min_lon) * self.kx, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        self.scale = WIDTH / span_x
        self.height = span_y * self.scale
        self.min_lon, self.max_lat = min_lon, max_lat

    def point(self, lon: float, lat: float) -> str:
        x = (lon - self.min_lon) * self.kx * self.scale
        y = (self.max_lat - lat) * self.scale
        return f"{x:.1f},{y:.1f}"


def _path(geom: BaseGeometry, proj: _Projection) -> str:
    parts = []
    for polygon in getattr(geom, "geoms", [geom]):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = " L".join(proj.point(x, y) for x, y in ring.coords[:-1])
            parts.append(f"M{points} Z")
    return " ".join(parts)


def ward_outline_svg(
    ward: AdminUnit | None, groups: Iterable[AdminUnit], zones: Iterable[HazardZone]
) -> SafeString:
    shaped = [(g, s) for g in groups if (s := g.shape()) is not None]
    zone_shapes = [(z, s) for z in zones if (s := z.shape()) is not None]
    every: list[BaseGeometry] = [s for _g, s in shaped] + [s for _z, s in zone_shapes]
    ward_shape = ward.shape() if ward is not None else None
    if ward_shape is not None:
        every.append(ward_shape)
    if not every:
        return mark_safe("")
    proj = _Projection(shapely.GeometryCollection(every).bounds)
    group_paths = format_html_join(
        "",
        '<g class="group"><title>{}</title><path d="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
        (
            (
                g.name,
                _path(s, proj),
                *proj.point(*s.representative_point().coords[0]).split(","),
                g.name.replace("Tổ dân phố", "TDP"),
            )
            for g, s in shaped
        ),
    )
    zone_paths = format_html_join(
        "",
        '<path class="{}" d="{}"><title>{}</title></path>',
        ((ZONE_CLASSES.get(z.hazard, "zone"), _path(s, proj), z.name) for z, s in zone_shapes),
    )
    return format_html(
        '<svg class="ward-map" viewBox="-4 -4 {} {}" role="img" aria-labelledby="ward-map-title">'
        '<title id="ward-map-title">{}</title>{}{}</svg>',
        WIDTH + 8,
        f"{proj.height + 8:.0f}",
        ward.name if ward else "",
        group_paths,
        zone_paths,
    )
