"""Indicator arithmetic over activities, as plain records.

Pure Python, no Django import: `queries.py` turns rows into :class:`Fact` and this module
counts. Every figure in dashboards and reports comes from here, so it is tested once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Fact", "GroupRow", "Summary", "coverage", "summarise"]

GROUP_FIELDS = ("women", "ethnic_minority", "disabled", "elderly", "youth")


@dataclass(frozen=True)
class Fact:
    held_on: date
    organisation: str
    kind: str
    form: str  # clause code, "" when none
    themes: tuple[str, ...]
    group_ids: tuple[int, ...]
    participants: int
    women: int = 0
    ethnic_minority: int = 0
    disabled: int = 0
    elderly: int = 0
    youth: int = 0
    estimate: bool = False  # people reached by a warning or broadcast (targeted population)
    households: int = 0  # households reached by a loudspeaker programme


@dataclass(frozen=True)
class GroupRow:
    group_id: int
    name: str
    activities: int
    participants: int


@dataclass
class Summary:
    activities: int = 0
    participants: int = 0  # people counted at face-to-face activities and materials
    reached_estimate: int = 0  # residents of groups targeted by warnings and broadcasts
    households_reached: int = 0  # households reached by loudspeaker programmes
    by_group_field: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    by_form: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_organisation: dict[str, int] = field(default_factory=dict)
    participants_by_month: dict[str, int] = field(default_factory=dict)


def summarise(facts: Iterable[Fact]) -> Summary:
    """Counts of activities by theme, form, kind and organisation; people counted apart
    from estimated reach, because adding estimates to head counts would overstate both."""
    summary = Summary(by_group_field=dict.fromkeys(GROUP_FIELDS, 0))
    themes: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    orgs: Counter[str] = Counter()
    months: defaultdict[str, int] = defaultdict(int)
    for fact in facts:
        summary.activities += 1
        themes.update(fact.themes)
        if fact.form:
            forms[fact.form] += 1
        kinds[fact.kind] += 1
        orgs[fact.organisation] += 1
        summary.households_reached += fact.households
        if fact.estimate:
            summary.reached_estimate += fact.participants
            continue
        summary.participants += fact.participants
        months[f"{fact.held_on:%Y-%m}"] += fact.participants
        for name in GROUP_FIELDS:
            summary.by_group_field[name] += getattr(fact, name)
    summary.by_theme = dict(sorted(themes.items(), key=_code_order))
    summary.by_form = dict(sorted(forms.items(), key=_code_order))
    summary.by_kind = dict(kinds.most_common())
    summary.by_organisation = dict(orgs.most_common())
    summary.participants_by_month = dict(sorted(months.items()))
    return summary


def _code_order(item: tuple[str, int]) -> tuple[str, int]:
    code = item[0]
    digits = "".join(c for c in code if c.isdigit())
    return (code.rstrip("0123456789"), int(digits or 0))


def coverage(facts: Iterable[Fact], groups: Sequence[tuple[int, str]]) -> list[GroupRow]:
    """One row per residential group, in the order given, zero where nothing happened."""
    activities: Counter[int] = Counter()
    people: Counter[int] = Counter()
    for fact in facts:
        for group_id in set(fact.group_ids):
            activities[group_id] += 1
            # A multi-group activity's head count cannot be split by group: it counts
            # once, with the first group, so the per-group sum equals the total.
            if not fact.estimate and group_id == min(fact.group_ids):
                people[group_id] += fact.participants
    return [GroupRow(gid, name, activities[gid], people[gid]) for gid, name in groups]
