"""Parsing and checking readings: each bad reading gets a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pctt.hazards.core.readings import Limits, Reason, RejectedReading, check, parse_reading

NOW = datetime(2026, 9, 1, 12, tzinfo=UTC)
LIMITS = Limits(unit="m", min_value=0, max_value=20, max_jump_per_hour=1.0)


def _reason(raw: Any, previous: tuple[datetime, float] | None = None) -> str | None:
    try:
        check(parse_reading(raw, default_station="S1"), LIMITS, now=NOW, previous=previous)
    except RejectedReading as error:
        return error.reason
    return None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"time": "2026-09-01T11:00:00+07:00", "value": 3.2}, None),
        ({"time": "2026-09-01T11:00:00Z", "value": "3,2", "unit": "m"}, None),
        ([1, 2], Reason.MALFORMED),
        ({"time": "yesterday", "value": 1}, Reason.MALFORMED),
        ({"time": "2026-09-01T11:00:00", "value": 1}, Reason.MALFORMED),
        ({"time": "2026-09-01T11:00:00Z", "value": "NaN"}, Reason.MALFORMED),
        ({"time": "2026-09-01T11:00:00Z", "value": True}, Reason.MALFORMED),
        ({"time": "2026-09-01T11:00:00Z", "value": 1, "station": "x" * 99}, Reason.MALFORMED),
        ({"time": "2026-09-01T11:00:00Z", "value": 3, "unit": "cm"}, Reason.UNIT_MISMATCH),
        ({"time": "2026-09-01T11:00:00Z", "value": 99}, Reason.IMPLAUSIBLE_VALUE),
        ({"time": "2026-09-01T11:00:00Z", "value": -1}, Reason.IMPLAUSIBLE_VALUE),
        ({"time": "2026-09-02T12:00:00Z", "value": 3}, Reason.IN_FUTURE),
        ({"time": "2025-01-01T00:00:00Z", "value": 3}, Reason.TOO_OLD),
    ],
)
def test_each_bad_reading_has_a_reason(raw: Any, reason: str | None) -> None:
    assert _reason(raw) == reason


def test_a_jump_too_fast_for_a_river_is_implausible() -> None:
    before = (NOW - timedelta(minutes=30), 3.0)
    assert _reason({"time": NOW.isoformat(), "value": 3.4}, before) is None
    assert _reason({"time": NOW.isoformat(), "value": 4.0}, before) == Reason.IMPLAUSIBLE_JUMP


def test_a_forecast_may_lie_ahead() -> None:
    ahead = (NOW + timedelta(days=2)).isoformat()
    assert _reason({"time": ahead, "value": 3, "forecast": True}) is None
