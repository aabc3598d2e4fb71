"""Risk-level rule data: only confirmed clauses, each with a source; otherwise no answer."""

from __future__ import annotations

import pytest

from pctt.hazards.core.levels import Thresholds
from pctt.hazards.core.risk_rules import (
    flash_flood_landslide_level1,
    flood_risk_level,
    raised_for_compound,
    rule_data,
)

T = Thresholds(9.5, 10.5, 11.5)


def test_every_rule_table_is_versioned_and_cited() -> None:
    data = rule_data()
    assert data["version"]
    for table in data["tables"]:
        assert table["source"]["document"] == "Quyết định 18/2021/QĐ-TTg"
        assert table["source"]["article"].startswith("Điều 4")
        assert table["source"]["completeness"]


@pytest.mark.parametrize(
    ("water", "region", "level"),
    [
        (9.8, 1, 1),
        (10.8, 1, 1),
        (11.8, 1, 2),
        (10.8, 2, 2),
        (9.8, 4, 2),
        (11.7, 4, 3),
    ],
)
def test_flood_levels_from_the_confirmed_clauses(water: float, region: int, level: int) -> None:
    answer = flood_risk_level(water, T, region)
    assert answer is not None and answer.level == level
    assert answer.citation == "Quyết định 18/2021/QĐ-TTg, Điều 45"


@pytest.mark.parametrize(
    ("water", "region"),
    [(9.0, 1), (12.6, 1), (11.6, 3), (11.9, 4), (10.0, None)],
)
def test_no_level_where_the_rule_is_unknown(water: float, region: int | None) -> None:
    # Below BĐ1, above what was retrieved, or no region class: ask the official bulletin.
    assert flood_risk_level(water, T, region) is None


def test_flash_flood_level_1_and_nothing_above() -> None:
    answer = flash_flood_landslide_level1(150, 2, "high", 3)
    assert answer is not None and answer.level == 1 and "Điều 46" in answer.citation
    assert flash_flood_landslide_level1(150, 2, "very_high", 3) is None
    assert flash_flood_landslide_level1(450, 3, "medium", 4) is not None
    assert flash_flood_landslide_level1(450, 2, "medium", 4) is None


def test_compound_hazards_raise_by_one_or_two_up_to_five() -> None:
    assert raised_for_compound(3, 1) == 4
    assert raised_for_compound(4, 2) == 5
    with pytest.raises(ValueError, match="1 or 2"):
        raised_for_compound(3, 3)
