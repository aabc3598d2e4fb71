"""Alarm levels, hysteresis, bulletin phrases and trends: the pure core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pctt.hazards.core.levels import (
    Thresholds,
    alarm_level,
    bulletin_phrase,
    bulletin_phrase_en,
    level_with_hysteresis,
    next_threshold,
    trend,
)

HANOI = Thresholds(9.5, 10.5, 11.5)


@pytest.mark.parametrize(
    ("water", "level"), [(9.49, 0), (9.5, 1), (10.49, 1), (10.5, 2), (11.5, 3), (14.0, 3)]
)
def test_a_level_is_reached_at_its_threshold(water: float, level: int) -> None:
    assert alarm_level(water, HANOI) == level


def test_thresholds_must_rise() -> None:
    with pytest.raises(ValueError, match="rise"):
        Thresholds(3.0, 3.0, 5.0)


def test_crossing_up_and_down_with_hysteresis() -> None:
    levels = []
    level = 0
    for water in [11.2, 11.5, 11.49, 11.46, 11.51, 11.44, 10.4, 9.46, 9.44]:
        level = level_with_hysteresis(water, level, HANOI, margin=0.05)
        levels.append(level)
    # Up at 11.5; a wobble just below BĐ3 keeps level 3; only 11.44 (< 11.45) drops it,
    # and a fall through two thresholds drops two levels at once.
    assert levels == [2, 3, 3, 3, 3, 2, 1, 1, 0]


def test_the_water_is_described_as_bulletins_say_it() -> None:
    assert bulletin_phrase(11.72, HANOI) == "trên báo động III 0,22 m"
    assert bulletin_phrase(10.5, HANOI) == "ở mức báo động II"
    assert bulletin_phrase(9.0, HANOI) == "dưới báo động I 0,50 m"
    assert bulletin_phrase_en(11.72, HANOI) == "0.22 m above alarm level III"


def test_distance_to_the_next_threshold() -> None:
    upcoming = next_threshold(10.62, HANOI)
    assert upcoming is not None and (upcoming.level, upcoming.distance) == (3, 0.88)
    assert next_threshold(11.6, HANOI) is None


def test_trend_is_the_rate_per_hour() -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    rising = [(start + timedelta(minutes=30 * i), 10.0 + 0.1 * i) for i in range(5)]
    found = trend(rising)
    assert found is not None and found.direction == "rising" and found.rate_per_hour == 0.2
    flat = trend([(start, 3.0), (start + timedelta(hours=1), 3.0)])
    assert flat is not None and flat.direction == "steady"
    assert trend(rising[:1]) is None
