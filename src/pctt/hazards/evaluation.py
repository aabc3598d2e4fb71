"""New readings → the station's alarm level (with hysteresis) → a proposal when it changes."""

from __future__ import annotations

from datetime import datetime

from pctt.hazards import proposals
from pctt.hazards.core.levels import level_with_hysteresis
from pctt.hazards.models import Proposal, Station


def evaluate(station: Station, fresh: list[tuple[datetime, float]]) -> Proposal | None:
    """`fresh`: this batch's observations of the station. Late readings (older than the
    latest one we have) are stored but do not move the current level."""
    latest = station.last_observed_at
    newer = sorted(p for p in fresh if latest is None or p[0] > latest)
    if not newer:
        return None
    start_level = level = station.alarm_level
    threshold_set = station.threshold_set() if station.kind == Station.Kind.WATER_LEVEL else None
    if threshold_set is not None:
        thresholds = threshold_set.thresholds()
        for _time, value in newer:
            level = level_with_hysteresis(value, level, thresholds, station.hysteresis)
    observed_at, value = newer[-1]
    station.alarm_level, station.last_value, station.last_observed_at = level, value, observed_at
    station.save(update_fields=["alarm_level", "last_value", "last_observed_at"])
    if threshold_set is None or level == start_level:
        return None
    return proposals.propose_for_alarm(
        station, threshold_set, previous=start_level, level=level, value=value, at=observed_at
    )
