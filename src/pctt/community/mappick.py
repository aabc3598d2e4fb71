"""The map picker of the hazard-report form: the ward's residential groups as a static SVG.

No JavaScript and no map tiles (no internet needed): the form shows the SVG through
``<input type="image">``, so a tap submits the form with the tapped pixel (``map.x``,
``map.y``); the server turns it into a point and the residential group holding it, and shows
the form again with that group chosen and everything typed kept. With JavaScript, the
browser's own location can fill the point instead (only when the resident asks).

The projection is the one of `pctt.areas.svg` (equirectangular, scaled by cos(latitude)):
right for a ward a few kilometres across.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from django.utils.html import format_html, format_html_join
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

#: viewBox width of the SVG, and the width it is shown at on the form (CSS pixels): the
#: tapped pixel is scaled by their ratio. 320 fits the narrowest phone screens.
VIEW_WIDTH = 640
SHOWN_WIDTH = 320
MARGIN = 4


@dataclass(frozen=True)
class Group:
    pk: int
    name: str
    shape: BaseGeometry


@dataclass(frozen=True)
class Pick:
    group_pk: int | None
    lon: float
    lat: float


class GroupMap:
    def __init__(self, groups: list[Group]) -> None:
        self.groups = groups
        bounds = shapely.GeometryCollection([g.shape for g in groups]).bounds
        self.min_lon, min_lat, max_lon, self.max_lat = bounds
        self.kx = math.cos(math.radians((min_lat + self.max_lat) / 2))
        span_x = max((max_lon - self.min_lon) * self.kx, 1e-9)
        span_y = max(self.max_lat - min_lat, 1e-9)
        self.scale = VIEW_WIDTH / span_x
        self.view_height = span_y * self.scale

    @classmethod
    def for_ward(cls) -> GroupMap | None:
        """The map of the configured ward's groups that have an outline; None without any."""
        from pctt.areas.models import AdminUnit, WardSetting

        ward = WardSetting.load().ward
        if ward is None:
            return None
        units = AdminUnit.objects.groups().filter(parent=ward, geometry__isnull=False)
        groups = [
            Group(u.pk, u.name, s) for u in units.order_by("code") if (s := u.shape()) is not None
        ]
        return cls(groups) if groups else None

    # -- geometry --
    @property
    def shown_width(self) -> int:
        return SHOWN_WIDTH

    @property
    def shown_height(self) -> int:
        return round((self.view_height + 2 * MARGIN) * SHOWN_WIDTH / (VIEW_WIDTH + 2 * MARGIN))

    def _xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.min_lon) * self.kx * self.scale, (self.max_lat - lat) * self.scale

    def _lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.scale / self.kx + self.min_lon, self.max_lat - y / self.scale

    def group_at(self, lon: float, lat: float) -> int | None:
        point = Point(lon, lat)
        for group in self.groups:
            if group.shape.covers(point):
                return group.pk
        return None

    def pick(self, shown_x: int, shown_y: int) -> Pick | None:
        """The tapped pixel of the image as shown on the form → point and group; None
        outside the picture."""
        if not (0 <= shown_x <= SHOWN_WIDTH and 0 <= shown_y <= self.shown_height):
            return None
        ratio = (VIEW_WIDTH + 2 * MARGIN) / SHOWN_WIDTH
        lon, lat = self._lonlat(shown_x * ratio - MARGIN, shown_y * ratio - MARGIN)
        return Pick(self.group_at(lon, lat), round(lon, 6), round(lat, 6))

    # -- drawing --
    def _path(self, geom: BaseGeometry) -> str:
        parts = []
        for polygon in getattr(geom, "geoms", [geom]):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = " L".join(
                    "{:.1f},{:.1f}".format(*self._xy(x, y)) for x, y in ring.coords[:-1]
                )
                parts.append(f"M{points} Z")
        return " ".join(parts)

    def svg(self, *, chosen: int | None = None, title: str = "") -> str:
        """A standalone SVG document (shown as an image: no script runs in it)."""

        # Presentation attributes, not a <style> element: the portal's CSP allows no inline
        # style, and the picture must look the same wherever it is shown.
        def label(group: Group) -> tuple[str, ...]:
            x, y = self._xy(*group.shape.representative_point().coords[0])
            fill, stroke, width = (
                ("#f6c343", "#7a4b00", "5") if group.pk == chosen else ("#e8f0f8", "#0b4f8a", "2")
            )
            short = group.name.replace("Tổ dân phố", "TDP")
            return (
                "group chosen" if group.pk == chosen else "group",
                group.name,
                self._path(group.shape),
                fill,
                stroke,
                width,
                f"{x:.1f}",
                f"{y:.1f}",
                short,
            )

        body = format_html_join(
            "",
            '<g class="{}"><title>{}</title><path d="{}" fill="{}" stroke="{}"'
            ' stroke-width="{}"/><text x="{}" y="{}" text-anchor="middle" font-family="sans-serif"'
            ' font-size="22" font-weight="bold" fill="#102a43">{}</text></g>',
            (label(g) for g in self.groups),
        )
        return str(
            format_html(
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}"'
                ' height="{}"><title>{}</title>{}</svg>',
                -MARGIN,
                -MARGIN,
                VIEW_WIDTH + 2 * MARGIN,
                f"{self.view_height + 2 * MARGIN:.0f}",
                SHOWN_WIDTH,
                self.shown_height,
                title,
                body,
            )
        )
