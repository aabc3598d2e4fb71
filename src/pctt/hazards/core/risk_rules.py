"""Disaster risk levels (1-5, Decision 18/2021/QĐ-TTg Art. 4) from versioned, cited rule data.

Only the clauses the domain brief confirms are in `data/risk_rules.json`. Where no clause
applies the answer is `None`: the level must come from the official bulletin, never a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pctt.hazards.core.levels import Thresholds

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "risk_rules.json"
MAX_LEVEL = 5


@dataclass(frozen=True)
class RuleAnswer:
    level: int
    rule_id: str
    version: str
    citation: str  # "Quyết định 18/2021/QĐ-TTg, Điều 45"


@cache
def rule_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return data


def _table(table_id: str) -> dict[str, Any]:
    return next(t for t in rule_data()["tables"] if t["id"] == table_id)


def _citation(table: dict[str, Any]) -> str:
    return f"{table['source']['document']}, {table['source']['article']}"


def _bound(name: str, thresholds: Thresholds) -> float:
    base, _, extra = name.partition("+")
    value = {"BD1": thresholds.bd1, "BD2": thresholds.bd2, "BD3": thresholds.bd3}[base]
    return value + (float(extra) if extra else 0.0)


def flood_risk_level(
    water_level: float, thresholds: Thresholds, region_class: int | None
) -> RuleAnswer | None:
    """Art. 45 for one basin, from the (forecast) water level; None means "ask the bulletin"."""
    if region_class not in (1, 2, 3, 4):
        return None
    table = _table("flood-art45-single-basin")
    for row in table["rows"]:
        if region_class not in row["region_classes"]:
            continue
        if _bound(row["from"], thresholds) <= water_level < _bound(row["below"], thresholds):
            return RuleAnswer(row["level"], table["id"], rule_data()["version"], _citation(table))
    return None


SUSCEPTIBILITY = ("low", "medium", "high", "very_high")


def flash_flood_landslide_level1(
    rain_24h_mm: float, prior_rain_days: int, susceptibility: str, region_class: int
) -> RuleAnswer | None:
    """Art. 46: only level 1 is known; None means "ask the bulletin" (it may be higher)."""
    table = _table("flash-flood-landslide-art46-level1")
    for row in table["rows"]:
        below = row["rain_mm_below"]
        if rain_24h_mm < row["rain_mm_from"] or (below is not None and rain_24h_mm >= below):
            continue
        days = row["prior_rain_days"]
        if days == "more_than_2" and prior_rain_days <= 2:
            continue
        if isinstance(days, list) and prior_rain_days not in days:
            continue
        if susceptibility in row["cases"].get(str(region_class), []):
            return RuleAnswer(row["level"], table["id"], rule_data()["version"], _citation(table))
    return None


def raised_for_compound(level: int, raise_by: int) -> int:
    """Art. 4: concurrent or successive hazards may raise the level by 1, or by 2 where
    lives and property are seriously at risk, never above 5. A person decides; this only caps."""
    if raise_by not in (0, 1, 2):
        raise ValueError("a compound hazard raises the level by 1 or 2 only")
    return min(level + raise_by, MAX_LEVEL)
