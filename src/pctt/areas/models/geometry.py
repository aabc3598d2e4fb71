"""Geometry stored as GeoJSON with a bounding box kept beside it.

The bounding box columns let the database narrow candidates before shapely does the
exact test, on SQLite and PostgreSQL alike (no spatial extension needed).
"""

from __future__ import annotations

from typing import Any

import shapely
from django.db import models
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


class GeometryMixin(models.Model):
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_geometry(self, geojson: dict[str, Any] | None) -> None:
        self.geometry = geojson
        if geojson is None:
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
            return
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = shape(geojson).bounds

    def shape(self) -> BaseGeometry | None:
        return shape(self.geometry) if self.geometry else None

    def centroid(self) -> tuple[float, float] | None:
        geom = self.shape()
        if geom is None:
            return None
        point = shapely.centroid(geom)
        return (point.x, point.y)
