from __future__ import annotations

import pytest

from pctt.areas.models import AdminUnit
from pctt.core.plan_text import PlanTextError, parse_plan
from pctt.plans.models import Activity, Clause, PeriodicTask, Plan
from pctt.plans.seed import load_seed_plan, seed_text


def test_the_seed_plan_text_parses_into_the_clauses_of_the_readme() -> None:
    plan = parse_plan(seed_text())
    assert plan.number == "77-KH/ĐU"
    assert plan.doc_type == "KẾ HOẠCH"
    assert [c.code for c in plan.purposes] == ["P1", "P2", "P3"]
    assert [c.code for c in plan.themes] == [f"C{i}" for i in range(1, 8)]
    assert [c.code for c in plan.forms] == ["F1", "F2", "F3", "F4"]
    assert [(d.code, len(d.items)) for d in plan.duties] == [
        ("U1", 2),
        ("U2", 3),
        ("U3", 3),
        ("U4", 2),
    ]
    assert [r.number for r in plan.implements] == ["213-KL/TW", "54-KH/TU"]
    assert plan.recipients[0] == "Thường trực Tỉnh ủy,"
    assert plan.signature is not None
    assert (plan.signature.authority, plan.signature.title) == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")


def test_a_paragraph_split_by_a_page_break_stays_in_one_clause() -> None:
    c1 = parse_plan(seed_text()).themes[0].text
    assert "có ý nghĩa đặc biệt quan trọng trong bảo vệ tính mạng" in c1
    c4 = parse_plan(seed_text()).themes[3].text
    assert "cứu hộ cứu nạn; nhân rộng điển hình" in c4


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("KẾ HOẠCH\n\nsomething", "number line"),
        ("Số 1-KH/ĐU\n\nKẾ HOẠCH\n\nvề x\n\nI - MỤC ĐÍCH\n\n1. a.", "section II"),
        ("", "number line"),
    ],
)
def test_a_text_that_is_not_a_plan_is_refused_with_what_is_missing(text: str, missing: str) -> None:
    with pytest.raises(PlanTextError, match=missing):
        parse_plan(text)


@pytest.mark.django_db
def test_the_demo_ward_gets_plan_77_with_duties_tasks_and_a_season_of_activities(
    ward: AdminUnit,
) -> None:
    plan = Plan.current()
    assert plan is not None and plan.number == "77-KH/ĐU" and plan.ward == ward
    assert {p.number for p in plan.implements.all()} == {"213-KL/TW", "54-KH/TU"}
    assert plan.clauses.filter(kind=Clause.Kind.THEME).count() == 7
    assert plan.clauses.get(code="U3").organisation_kinds[2] == "womens_union"
    assert plan.clauses.get(code="U2.2").parent == plan.clauses.get(code="U2")
    assert PeriodicTask.objects.filter(plan=plan).count() >= 8
    assert Activity.objects.filter(plan=plan, source="manual").count() >= 50


@pytest.mark.django_db
def test_loading_the_plan_twice_keeps_the_same_clause_rows(ward: AdminUnit) -> None:
    before = dict(Clause.objects.values_list("code", "pk"))
    load_seed_plan(ward)
    assert dict(Clause.objects.values_list("code", "pk")) == before
    assert Plan.objects.filter(is_current=True).count() == 1
