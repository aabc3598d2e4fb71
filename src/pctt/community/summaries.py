"""Summaries for the organisations (clauses U3–U4): what residents ask and worry about, by
theme, residential group and month. Counts and texts — never persons, never contacts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape

from pctt.community.models import Kind, Status, Submission, Theme

SUMMARY_KINDS = (Kind.QUESTION, Kind.CONCERN)


@dataclass
class Summary:
    months: list[date]
    by_theme: dict[str, Counter[date]] = field(default_factory=dict)
    by_group: dict[str, Counter[date]] = field(default_factory=dict)
    by_kind: dict[str, Counter[date]] = field(default_factory=dict)

    def rows(self, table: dict[str, Counter[date]]) -> list[tuple[str, list[int], int]]:
        return [
            (label, [counts[m] for m in self.months], sum(counts.values()))
            for label, counts in sorted(table.items())
        ]


def _queryset(since: date) -> object:
    return Submission.objects.filter(kind__in=SUMMARY_KINDS, received_at__date__gte=since).exclude(
        status=Status.REJECTED
    )


def build(months: int = 12, today: date | None = None) -> Summary:
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    month_list = []
    cursor = first
    while cursor <= today:
        month_list.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    summary = Summary(months=month_list)
    themes = dict(Theme.choices)
    kinds = dict(Kind.choices)
    rows = (
        _queryset(first)  # type: ignore[attr-defined]
        .annotate(month=TruncMonth("received_at"))
        .values_list("month", "theme", "residential_group__name", "kind")
    )
    for month, theme, group, kind in rows:
        key = month.date() if hasattr(month, "date") else month
        summary.by_theme.setdefault(str(themes.get(theme, "—")), Counter())[key] += 1
        summary.by_group.setdefault(group or "—", Counter())[key] += 1
        summary.by_kind.setdefault(str(kinds[kind]), Counter())[key] += 1
    return summary


def counts_csv(summary: Summary) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["table", "label", *[m.strftime("%Y-%m") for m in summary.months], "total"]
    writer.writerow(header)
    for name, table in (
        ("theme", summary.by_theme),
        ("group", summary.by_group),
        ("kind", summary.by_kind),
    ):
        for label, counts, total in summary.rows(table):
            writer.writerow([name, label, *counts, total])
    return out.getvalue()


def texts_csv(since: date) -> str:
    """The texts themselves, for reading what people say: no reference, contact or answer."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "kind", "theme", "residential_group", "text"])
    rows = (
        _queryset(since)  # type: ignore[attr-defined]
        .order_by("received_at")
        .values_list("received_at", "kind", "theme", "residential_group__name", "text")
    )
    for received, kind, theme, group, text in rows:
        month = timezone.localtime(received).strftime("%Y-%m")
        # A leading = + - @ would be a formula in a spreadsheet.
        safe = "'" + text if text[:1] in ("=", "+", "-", "@") else text
        writer.writerow([month, kind, theme, group or "", safe])
    return out.getvalue()


def bar_chart_svg(summary: Summary, width: int = 640, height: int = 200) -> str:
    """Monthly totals as an inline SVG bar chart (no JavaScript, no external library)."""
    totals = [sum(c[m] for c in summary.by_kind.values()) for m in summary.months]
    peak = max(totals, default=0) or 1
    slot = width / max(len(totals), 1)
    bars = []
    for index, (month, total) in enumerate(zip(summary.months, totals, strict=True)):
        h = (height - 30) * total / peak
        x = index * slot + 4
        bars.append(
            f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{slot - 8:.1f}" height="{h:.1f}"'
            f' fill="#1f6f8b"><title>{escape(month.strftime("%m/%Y"))}: {total}</title></rect>'
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{height - 5}" font-size="10"'
            f' text-anchor="middle">{escape(month.strftime("%m/%y"))}</text>'
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{height - 24 - h:.1f}" font-size="10"'
            f' text-anchor="middle">{total}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="community-chart"'
        f' viewBox="0 0 {width} {height}" width="100%">{"".join(bars)}</svg>'
    )
