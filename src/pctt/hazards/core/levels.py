"""Alarm levels (báo động I–III, Decision 05/2020/QĐ-TTg) from a water level.

Levels are 0 (below BĐ1) to 3 (at or above BĐ3). A level is reached when the water is *at*
the threshold ("đạt mức báo động"). To stop a reading that wobbles around a threshold from
flooding operators, a level is only left when the water falls a margin below it (hysteresis).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ROMAN = ("", "I", "II", "III")


@dataclass(frozen=True)
class Thresholds:
    bd1: float
    bd2: float
    bd3: float

    def __post_init__(self) -> None:
        if not (self.bd1 < self.bd2 < self.bd3):
            raise ValueError("alarm thresholds must rise: BĐ1 < BĐ2 < BĐ3")

    def value(self, level: int) -> float:
        return (self.bd1, self.bd2, self.bd3)[level - 1]


def alarm_level(water_level: float, thresholds: Thresholds) -> int:
    """0 below BĐ1, else the highest alarm level reached."""
    level = 0
    for candidate in (1, 2, 3):
        if water_level >= thresholds.value(candidate):
            level = candidate
    return level


def level_with_hysteresis(
    water_level: float, previous: int, thresholds: Thresholds, margin: float
) -> int:
    """Rise as soon as a threshold is reached; fall only once `margin` metres below it."""
    raw = alarm_level(water_level, thresholds)
    if raw >= previous:
        return raw
    level = previous
    while level > raw and water_level < thresholds.value(level) - margin:
        level -= 1
    return level


@dataclass(frozen=True)
class NextThreshold:
    level: int  # 1..3
    distance: float  # metres still to rise


def next_threshold(water_level: float, thresholds: Thresholds) -> NextThreshold | None:
    """The next alarm level above the water and how far it is; None above BĐ3."""
    current = alarm_level(water_level, thresholds)
    if current == 3:
        return None
    target = current + 1
    return NextThreshold(target, round(thresholds.value(target) - water_level, 3))


def _metres(value: float) -> str:
    # Vietnamese bulletins write a decimal comma: "0,22 m".
    return f"{abs(value):.2f}".replace(".", ",") + " m"


def bulletin_phrase(water_level: float, thresholds: Thresholds) -> str:
    """The water level the way bulletins say it, e.g. "trên báo động III 0,22 m"."""
    level = alarm_level(water_level, thresholds)
    if level == 0:
        return f"dưới báo động I {_metres(thresholds.bd1 - water_level)}"
    above = water_level - thresholds.value(level)
    if above < 0.005:
        return f"ở mức báo động {ROMAN[level]}"
    return f"trên báo động {ROMAN[level]} {_metres(above)}"


def bulletin_phrase_en(water_level: float, thresholds: Thresholds) -> str:
    level = alarm_level(water_level, thresholds)
    if level == 0:
        return f"{thresholds.bd1 - water_level:.2f} m below alarm level I"
    above = water_level - thresholds.value(level)
    if above < 0.005:
        return f"at alarm level {ROMAN[level]}"
    return f"{above:.2f} m above alarm level {ROMAN[level]}"


@dataclass(frozen=True)
class Trend:
    direction: str  # "rising", "falling" or "steady"
    rate_per_hour: float  # metres (or mm) per hour, signed


STEADY_BELOW = 0.005  # per hour; gauges report to the centimetre


def trend(points: list[tuple[datetime, float]]) -> Trend | None:
    """Least-squares slope over the points given (oldest first is not required)."""
    if len(points) < 2:
        return None
    start = min(t for t, _v in points)
    xs = [(t - start).total_seconds() / 3600 for t, _v in points]
    ys = [v for _t, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if abs(slope) < STEADY_BELOW:
        return Trend("steady", round(slope, 3))
    return Trend("rising" if slope > 0 else "falling", round(slope, 3))
