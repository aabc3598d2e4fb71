"""Parsing and checking one gauge reading, whatever it came in on (HTTP, MQTT, CSV).

A reading is rejected with a reason code (stable, for machines) and a detail (for people);
the caller keeps rejected readings in quarantine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MAX_CODE_LENGTH = 32
MAX_UNIT_LENGTH = 10


class Reason:
    MALFORMED = "malformed"
    UNKNOWN_STATION = "unknown_station"
    NOT_ALLOWED = "not_allowed"
    UNIT_MISMATCH = "unit_mismatch"
    IMPLAUSIBLE_VALUE = "implausible_value"
    IMPLAUSIBLE_JUMP = "implausible_jump"
    IN_FUTURE = "in_future"
    TOO_OLD = "too_old"
    DUPLICATE_IN_BATCH = "duplicate_in_batch"


class RejectedReading(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Reading:
    station: str
    time: datetime  # timezone-aware
    value: float
    unit: str
    forecast: bool = False


def parse_time(raw: Any) -> datetime:
    if not isinstance(raw, str) or len(raw) > 40:
        raise RejectedReading(Reason.MALFORMED, "time must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise RejectedReading(Reason.MALFORMED, f"time is not ISO 8601: {raw[:40]!r}") from exc
    if parsed.tzinfo is None:
        raise RejectedReading(Reason.MALFORMED, "time needs a UTC offset, e.g. +07:00")
    return parsed


def parse_value(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise RejectedReading(Reason.MALFORMED, "value must be a number")
    try:
        value = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except ValueError as exc:
        raise RejectedReading(
            Reason.MALFORMED, f"value is not a number: {str(raw)[:20]!r}"
        ) from exc
    if not math.isfinite(value):
        raise RejectedReading(Reason.MALFORMED, "value must be finite")
    return value


def parse_reading(raw: Any, *, default_station: str = "") -> Reading:
    """One reading from a JSON object or a CSV row: station, time, value, unit (optional)."""
    if not isinstance(raw, dict):
        raise RejectedReading(Reason.MALFORMED, "a reading must be an object")
    station = raw.get("station", default_station)
    if not isinstance(station, str) or not station or len(station) > MAX_CODE_LENGTH:
        raise RejectedReading(Reason.MALFORMED, "station code missing or too long")
    if "\x00" in station:
        raise RejectedReading(Reason.MALFORMED, "station code holds a NUL character")
    unit = raw.get("unit", "")
    if unit is None:
        unit = ""
    if not isinstance(unit, str) or len(unit) > MAX_UNIT_LENGTH or "\x00" in unit:
        raise RejectedReading(Reason.MALFORMED, "unit must be a short string")
    forecast = raw.get("forecast", False)
    if not isinstance(forecast, bool):
        forecast = str(forecast).strip().lower() in ("1", "true", "yes")
    return Reading(
        station=station.strip(),
        time=parse_time(raw.get("time")),
        value=parse_value(raw.get("value")),
        unit=unit.strip(),
        forecast=forecast,
    )


@dataclass(frozen=True)
class Limits:
    """What a station's readings may look like; each set per station by its administrator."""

    unit: str
    min_value: float | None = None
    max_value: float | None = None
    max_jump_per_hour: float | None = None
    max_age: timedelta = timedelta(days=30)
    max_ahead: timedelta = timedelta(minutes=10)  # clock skew of a field logger
    forecast_horizon: timedelta = timedelta(days=10)


def check(
    reading: Reading,
    limits: Limits,
    *,
    now: datetime,
    previous: tuple[datetime, float] | None,
) -> None:
    """Raise RejectedReading when the reading cannot be trusted; `previous` is the
    station's nearest earlier observation (for the jump check)."""
    if reading.unit and reading.unit != limits.unit:
        raise RejectedReading(
            Reason.UNIT_MISMATCH, f"unit {reading.unit!r}, station reports in {limits.unit!r}"
        )
    if limits.min_value is not None and reading.value < limits.min_value:
        raise RejectedReading(
            Reason.IMPLAUSIBLE_VALUE, f"{reading.value} is below {limits.min_value}"
        )
    if limits.max_value is not None and reading.value > limits.max_value:
        raise RejectedReading(
            Reason.IMPLAUSIBLE_VALUE, f"{reading.value} is above {limits.max_value}"
        )
    ahead = limits.forecast_horizon if reading.forecast else limits.max_ahead
    if reading.time > now + ahead:
        raise RejectedReading(Reason.IN_FUTURE, f"time {reading.time.isoformat()} is in the future")
    if not reading.forecast and reading.time < now - limits.max_age:
        raise RejectedReading(Reason.TOO_OLD, f"time {reading.time.isoformat()} is too old")
    if previous is not None and limits.max_jump_per_hour is not None and not reading.forecast:
        then, value = previous
        hours = max((reading.time - then).total_seconds() / 3600, 1 / 60)
        if abs(reading.value - value) / hours > limits.max_jump_per_hour:
            raise RejectedReading(
                Reason.IMPLAUSIBLE_JUMP,
                f"changed {reading.value - value:+.2f} since {then.isoformat()}",
            )
