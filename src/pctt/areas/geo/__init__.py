"""Area geometry without Django: GeoJSON import checks and point-in-area lookup."""

from pctt.areas.geo.geojson import (
    COUNT_FIELDS,
    HAZARDS,
    LEVELS,
    AreaFeature,
    FeatureError,
    ImportPlan,
    parse_feature_collection,
)
from pctt.areas.geo.locate import NOT_FOUND, AreaLocator

__all__ = [
    "COUNT_FIELDS",
    "HAZARDS",
    "LEVELS",
    "NOT_FOUND",
    "AreaFeature",
    "AreaLocator",
    "FeatureError",
    "ImportPlan",
    "parse_feature_collection",
]
