"""Reporting periods written as people write them: ``2026-09``, ``2026-Q3``, ``2026-H2``, ``2026``.

Pure Python, no Django import.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["Period", "PeriodError", "parse_period", "period_containing"]


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, half, year, disaster
    starts_on: date
    ends_on: date

    def label_vi(self) -> str:
        """How a Vietnamese report names it: "tháng 9 năm 2026", "quý III năm 2026"…"""
        year = self.starts_on.year
        if self.kind == "month":
            return f"tháng {self.starts_on.month} năm {year}"
        if self.kind == "quarter":
            roman = ("I", "II", "III", "IV")[(self.starts_on.month - 1) // 3]
            return f"quý {roman} năm {year}"
        if self.kind == "half":
            return f"{'6 tháng đầu' if self.starts_on.month == 1 else '6 tháng cuối'} năm {year}"
        if self.kind == "year":
            return f"năm {year}"
        return f"từ ngày {self.starts_on:%d/%m/%Y} đến ngày {self.ends_on:%d/%m/%Y}"

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
]


def parse_period(text: str) -> Period:
    text = text.strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise PeriodError(f"year out of range: {year}")
        if kind == "year":
            return Period(kind, date(year, 1, 1), date(year, 12, 31))
        part = int(match.group(2))
        if kind == "month":
            if not 1 <= part <= 12:
                raise PeriodError(f"no month {part}")
            first, last = part, part
        elif kind == "quarter":
            first, last = 3 * part - 2, 3 * part
        else:
            first, last = 6 * part - 5, 6 * part
        return Period(kind, date(year, first, 1), _month_end(year, last))
    if ".." in text:
        start, _, end = text.partition("..")
        try:
            period = Period("disaster", date.fromisoformat(start), date.fromisoformat(end))
        except ValueError as exc:
            raise PeriodError(str(exc)) from exc
        if period.ends_on < period.starts_on:
            raise PeriodError("the period ends before it starts")
        return period
    raise PeriodError(
        f"not a period: {text!r} (use 2026-09, 2026-Q3, 2026-H2, 2026 or 2026-09-01..2026-09-15)"
    )


def period_containing(day: date, kind: str) -> Period:
    if kind == "month":
        return parse_period(f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == "half":
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(str(day.year))
