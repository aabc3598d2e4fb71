from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from docx import Document

from pctt.plans import actions, reporting
from pctt.plans.models import Activity, Organisation
from pctt.plans.periods import period_containing

pytestmark = pytest.mark.django_db


def _month_report(user: Any, orgs: dict[str, Organisation], kind: str = "party_building_board"):
    period = period_containing(timezone.localdate(), "month")
    return actions.create_report(user=user, organisation=orgs[kind], period=period)


def _text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_monthly_party_report_has_the_36_hd_layout_and_the_months_figures(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    report = _month_report(users["quantri"], orgs)
    period = period_containing(timezone.localdate(), "month")
    expected = Activity.objects.filter(held_on__range=(period.starts_on, period.ends_on))
    assert report.figures["activities"] == expected.count()
    assert report.figures["participants"] == sum(
        a.participants for a in expected if not a.reach_is_estimate
    )
    document = Document(io.BytesIO(reporting.docx_bytes(report)))
    header = document.tables[0].rows[0].cells
    assert "ĐẢNG BỘ TỈNH LÀO CAI" in header[0].text
    assert "ĐẢNG ỦY PHƯỜNG BẾN SÔNG" in header[0].text
    assert f"Số {report.number}-BC/ĐU" in header[0].text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    assert f"Bến Sông, ngày {report.dated:%d} tháng {report.dated:%m}" in header[1].text
    text = _text(document)
    assert "BÁO CÁO" in text and period.label_vi() in text
    assert f"{report.figures['activities']} hoạt động" in text
    signature = document.tables[-1].rows[0].cells
    assert signature[0].text.startswith("Nơi nhận:")
    assert "Thường trực Tỉnh ủy (để b/c)" in signature[0].text
    assert "T/M BAN THƯỜNG VỤ" in signature[1].text and "PHÓ BÍ THƯ" in signature[1].text
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.font.name}
    assert fonts == {"Times New Roman"}
    assert document.inline_shapes, "the coverage chart is in the report"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30


def test_the_peoples_committee_reports_in_the_state_layout(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    report = _month_report(users["quantri"], orgs, "peoples_committee")
    header = Document(io.BytesIO(reporting.docx_bytes(report))).tables[0].rows[0].cells
    assert f"Số: {report.number}/BC-UBND" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text


def test_report_numbers_follow_on_within_the_year(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    first = _month_report(users["quantri"], orgs)
    second = _month_report(users["quantri"], orgs)
    assert second.number == first.number + 1


def test_only_members_of_the_reporting_body_may_report(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    period = period_containing(date(2026, 9, 1), "month")
    with pytest.raises(PermissionDenied):
        actions.create_report(
            user=users["daumoi.phunu"], organisation=orgs["party_building_board"], period=period
        )
    with pytest.raises(ValidationError):
        actions.create_report(
            user=users["quantri"], organisation=orgs["womens_union"], period=period
        )
    with pytest.raises(PermissionDenied):
        actions.create_report(
            user=users["captren"], organisation=orgs["party_building_board"], period=period
        )


def test_narrative_edits_are_kept_and_figures_stay_frozen(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    report = _month_report(users["quantri"], orgs)
    figures = dict(report.figures)
    actions.edit_report(
        user=users["quantri"],
        report=report,
        narrative={"proposals": "Đề nghị cấp thêm loa truyền thanh cho tổ dân phố 9."},
        recipients=["Thường trực Tỉnh ủy (để b/c),", "", "Lưu Văn phòng Đảng ủy."],
        signer="Tô Thị Thu Hường",
    )
    report.refresh_from_db()
    assert report.figures == figures
    assert report.recipients == ["Thường trực Tỉnh ủy (để b/c),", "Lưu Văn phòng Đảng ủy."]
    assert "loa truyền thanh" in _text(Document(io.BytesIO(reporting.docx_bytes(report))))
    with pytest.raises(ValidationError):
        actions.edit_report(
            user=users["quantri"], report=report, narrative={"x": "y"}, recipients=[], signer=""
        )
    with pytest.raises(ValidationError):
        actions.edit_report(
            user=users["quantri"],
            report=report,
            narrative={"situation": "x" * 20_001},
            recipients=[],
            signer="",
        )


def test_the_dashboard_shows_groups_without_activity_and_exports(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["captren"])
    page = client.get("/admin/plans/dashboard/")
    assert page.status_code == 200
    assert page.content.decode().count('class="plans-zero"') >= 2
    assert client.get("/admin/plans/chart/coverage.svg").content.startswith(b"<?xml")
    csv = client.get("/admin/plans/export/coverage.csv?period=2026")
    assert csv.status_code == 200 and "Tổ dân phố 1" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/admin/plans/export/themes.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get("/admin/plans/dashboard/?period=2026-13").status_code == 404


def test_the_board_makes_the_monthly_report_in_a_few_clicks(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["quantri"])
    board = Organisation.objects.get(kind="party_building_board")
    response = client.post(
        "/admin/plans/reports/",
        {"organisation": board.pk, "period": f"{timezone.localdate():%Y-%m}"},
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert client.get(detail).status_code == 200
    file = client.get(detail + "file.docx")
    assert file.status_code == 200 and file.content[:2] == b"PK"
    viewer = Client()
    viewer.force_login(users["captren"])
    assert viewer.get(detail).status_code == 200
    assert (
        viewer.post(
            "/admin/plans/reports/", {"organisation": board.pk, "period": "2026-09"}
        ).status_code
        == 302
    )
    from pctt.plans.models import Report

    assert Report.objects.count() == 1
