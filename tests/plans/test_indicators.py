from __future__ import annotations

from datetime import date

import pytest

from pctt.plans import indicators, schedule
from pctt.plans.indicators import Fact
from pctt.plans.periods import PeriodError, parse_period

FACTS = [
    Fact(date(2026, 9, 3), "Hội Phụ nữ", "meeting", "F2", ("C4",), (1,), 40, women=40, youth=5),
    Fact(date(2026, 9, 10), "Đoàn Thanh niên", "drill", "F2", ("C4", "C1"), (1, 2), 30, women=10),
    Fact(date(2026, 10, 2), "UBND", "warning", "F4", ("C4",), (2, 3), 1500, estimate=True),
]


def test_people_are_counted_apart_from_the_estimated_reach_of_warnings() -> None:
    s = indicators.summarise(FACTS)
    assert (s.activities, s.participants, s.reached_estimate) == (3, 70, 1500)
    assert s.by_group_field["women"] == 50 and s.by_group_field["youth"] == 5
    assert s.by_theme == {"C1": 1, "C4": 3}
    assert s.by_form == {"F2": 2, "F4": 1}
    assert s.participants_by_month == {"2026-09": 70}


def test_coverage_lists_every_group_and_a_multi_group_head_count_is_counted_once() -> None:
    rows = indicators.coverage(FACTS, [(1, "Tổ 1"), (2, "Tổ 2"), (3, "Tổ 3"), (4, "Tổ 4")])
    assert [(r.name, r.activities, r.participants) for r in rows] == [
        ("Tổ 1", 2, 70),
        ("Tổ 2", 2, 0),
        ("Tổ 3", 1, 0),
        ("Tổ 4", 0, 0),
    ]
    assert sum(r.participants for r in rows) == indicators.summarise(FACTS).participants


def test_themes_sort_by_number_not_by_text() -> None:
    facts = [Fact(date(2026, 1, 1), "x", "meeting", "F2", (f"C{n}",), (), 0) for n in (10, 2, 1)]
    assert list(indicators.summarise(facts).by_theme) == ["C1", "C2", "C10"]


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30), "tháng 9 năm 2026"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "quý III năm 2026"),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "tháng 2 năm 2026"),
    ],
)
def test_periods_parse_as_people_write_them(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.starts_on, period.ends_on, period.label_vi()) == (start, end, label)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "Q3", "2026-09-10..2026-09-01", ""])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_monthly_task_is_done_overdue_or_due_by_its_window() -> None:
    rule = schedule.TaskRule(1, "monthly", due_day=25)
    months = schedule.occurrences(rule, date(2026, 7, 1), date(2026, 9, 30))
    assert [o.due_on for o in months] == [date(2026, 7, 25), date(2026, 8, 25), date(2026, 9, 25)]
    today = date(2026, 9, 15)
    assert schedule.status(months[0], [date(2026, 7, 3)], today) == "done"
    assert schedule.status(months[1], [date(2026, 7, 3)], today) == "overdue"
    assert schedule.status(months[2], [], today) == "due"


def test_before_the_season_falls_due_at_the_end_of_may_and_disaster_tasks_have_no_date() -> None:
    season = schedule.TaskRule(2, "before_season")
    assert [
        o.due_on for o in schedule.occurrences(season, date(2026, 1, 1), date(2026, 12, 31))
    ] == [date(2026, 5, 31)]
    event = schedule.TaskRule(3, "during_disaster")
    assert schedule.occurrences(event, date(2026, 1, 1), date(2026, 12, 31)) == []
