"""When periodic tasks fall due, and which are done, due or overdue.

Pure Python, no Django import.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Occurrence", "TaskRule", "occurrences", "status"]

#: The northern storm season starts in June; "before the season" means by the end of May.
SEASON_DEADLINE = (5, 31)


@dataclass(frozen=True)
class TaskRule:
    key: int
    recurrence: str
    due_day: int = 25
    due_on: date | None = None


@dataclass(frozen=True)
class Occurrence:
    key: int
    opens_on: date
    due_on: date


def _clamp(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrences(rule: TaskRule, start: date, end: date) -> list[Occurrence]:
    """The occurrences due within [start, end]. Event-driven tasks ("during a disaster")
    have none: they are checked against warnings, not the calendar."""
    found: list[Occurrence] = []
    if rule.recurrence == "once" and rule.due_on is not None:
        if start <= rule.due_on <= end:
            found.append(Occurrence(rule.key, date.min, rule.due_on))
    elif rule.recurrence in ("monthly", "quarterly"):
        step = 1 if rule.recurrence == "monthly" else 3
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            if step == 1 or month % 3 == 0:
                first_month = month - step + 1
                due = _clamp(year, month, rule.due_day)
                if start <= due <= end:
                    found.append(Occurrence(rule.key, date(year, first_month, 1), due))
            month += 1
            if month == 13:
                year, month = year + 1, 1
    elif rule.recurrence == "before_season":
        for year in range(start.year, end.year + 1):
            due = date(year, *SEASON_DEADLINE)
            if start <= due <= end:
                found.append(Occurrence(rule.key, date(year, 1, 1), due))
    return found


def status(occurrence: Occurrence, done_on: Iterable[date], today: date) -> str:
    """``done`` when an activity falls in the occurrence's window; ``overdue`` after the due
    date; ``due`` when it falls due within two weeks; ``upcoming`` otherwise."""
    if any(occurrence.opens_on <= d <= occurrence.due_on for d in done_on):
        return "done"
    if today > occurrence.due_on:
        return "overdue"
    if occurrence.due_on - today <= timedelta(days=14):
        return "due"
    return "upcoming"
