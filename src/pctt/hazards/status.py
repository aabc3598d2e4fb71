"""A station's situation in words and figures: level, distance to the next, trend."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pctt.hazards.core.levels import bulletin_phrase, next_threshold, trend
from pctt.hazards.models import Station

TREND_WINDOW = timedelta(hours=3)


def describe(station: Station) -> dict[str, Any]:
    threshold_set = station.threshold_set()
    data: dict[str, Any] = {
        "code": station.code,
        "name": station.name,
        "kind": station.kind,
        "river": station.river,
        "unit": station.unit,
        "lon": station.lon,
        "lat": station.lat,
        "fictional": station.is_fictional,
        "alarm_level": station.alarm_level,
        "value": station.last_value,
        "time": station.last_observed_at.isoformat() if station.last_observed_at else None,
        "thresholds": None,
        "trend": None,
    }
    if threshold_set is not None:
        thresholds = threshold_set.thresholds()
        data["thresholds"] = {
            "bd1": thresholds.bd1,
            "bd2": thresholds.bd2,
            "bd3": thresholds.bd3,
            "source": threshold_set.citation,
            "fictional": threshold_set.is_fictional,
        }
        if station.last_value is not None:
            data["phrase"] = bulletin_phrase(station.last_value, thresholds)
            upcoming = next_threshold(station.last_value, thresholds)
            data["next"] = (
                {"level": upcoming.level, "distance": upcoming.distance} if upcoming else None
            )
    if station.last_observed_at is not None:
        recent = station.observations.filter(
            is_forecast=False, observed_at__gte=station.last_observed_at - TREND_WINDOW
        ).values_list("observed_at", "value")
        found = trend(list(recent))
        if found is not None:
            data["trend"] = {"direction": found.direction, "rate_per_hour": found.rate_per_hour}
    return data
