"""Small GeoJSON builders for import tests."""

from __future__ import annotations

import json
from typing import Any


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def feature(geometry: dict[str, Any] | None = None, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": geometry or square(105.8, 21.0),
        "properties": properties,
    }


def collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def small_ward(province: str = "T01", ward: str = "W01") -> list[dict[str, Any]]:
    return [
        feature(square(105.0, 21.0, 0.2), code=province, name="Tỉnh Thử", level="province"),
        feature(
            square(105.0, 21.0, 0.02),
            code=ward,
            name="Phường Thử",
            level="commune",
            parent_code=province,
        ),
        feature(
            square(105.0, 21.0, 0.01),
            code="G01",
            name="Tổ dân phố 1",
            level="residential_group",
            parent_code=ward,
            households=120,
            population=450,
            elderly_alone=4,
            disabled=2,
            young_children=30,
        ),
        feature(
            square(105.01, 21.0, 0.01),
            code="G02",
            name="Thôn Hoà Bình",
            level="hamlet",
            parent_code=ward,
            households=80,
        ),
        feature(
            square(105.0, 21.0, 0.005),
            code="Z01",
            name="Vùng trũng",
            level="hazard_zone",
            hazard="flood",
            parent_code=ward,
        ),
    ]
