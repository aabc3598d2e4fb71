"""Risk levels entered from official bulletins (flood per level, with source), the back-office
screen for them and for region classes, and the stations map with or without a ward outline."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pctt.accounts.models import AuditEntry
from pctt.areas.models import AdminUnit
from pctt.hazards import actions
from pctt.hazards.admin_views import stations_map_svg
from pctt.hazards.models import Proposal, RiskLevel
from pctt.hazards.models.observations import Source
from tests.hazards.factories import RoleKey, gauge, readings_rising, user_with

pytestmark = pytest.mark.django_db

EXPECTED_CAP = {  # risk level → (severity, urgency, loudspeaker priority): our mapping, as data
    1: ("Minor", "Expected", "priority"),
    2: ("Moderate", "Expected", "priority"),
    3: ("Severe", "Expected", "emergency"),
    4: ("Severe", "Immediate", "emergency"),
    5: ("Extreme", "Immediate", "emergency"),
}


def test_the_shipped_flood_risk_templates_cover_every_level_and_name_their_source() -> None:
    text = resources.files("pctt.alerts").joinpath("data", "templates.json").read_text("utf-8")
    templates = {t["key"]: t for t in json.loads(text)}
    for level in range(1, 6):
        template = templates[f"lu-rui-ro-{level}"]
        assert template["hazard"] == "flood"
        assert f"cấp độ rủi ro thiên tai {level}" in template["description_vi"]
        assert "{source}" in template["description_vi"] and "{areas}" in template["sms_vi"]
        severity, urgency, priority = EXPECTED_CAP[level]
        assert (template["severity"], template["urgency"]) == (severity, urgency)
        assert template["loudspeaker_priority"] == priority


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_flood_risk_level_from_a_bulletin_proposes_a_draft_from_its_level_template(
    level: int,
) -> None:
    gauge()
    ward = AdminUnit.objects.get(code="W01")
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    source = "Tin cảnh báo lũ số 7, Đài KTTV tỉnh, 10h 06/9/2026"
    actions.record_risk_level(
        user=operator, hazard="flood", area=ward, bulletin_level=level, source=source
    )
    proposal = Proposal.objects.get(kind="risk")
    alert = proposal.alert
    assert alert is not None and alert.state == "draft" and alert.author is None
    assert alert.template is not None and alert.template.key == f"lu-rui-ro-{level}"
    assert alert.risk_level == level and alert.hazard == "flood"
    assert f"Theo {source}, lũ tại Phường Thử ở cấp độ rủi ro thiên tai {level}" in (
        alert.description_vi
    )
    assert (alert.severity, alert.urgency) == EXPECTED_CAP[level][:2]
    assert set(alert.areas.values_list("code", flat=True)) == set(
        ward.children.values_list("code", flat=True)
    )
    assert "lũ trên sông" in proposal.summary and source in proposal.summary


def test_a_higher_flood_risk_level_proposes_again_and_the_same_level_does_not() -> None:
    gauge()
    ward = AdminUnit.objects.get(code="W01")
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    for level, source in ((2, "Tin lũ số 1"), (2, "Tin lũ số 2"), (1, "Tin lũ số 3")):
        actions.record_risk_level(
            user=operator, hazard="flood", area=ward, bulletin_level=level, source=source
        )
    assert Proposal.objects.filter(kind="risk").count() == 1
    actions.record_risk_level(
        user=operator,
        hazard="flood",
        area=ward,
        bulletin_level=3,
        source="Tin lũ khẩn cấp số 4",
        raised_by=1,
        raise_reason="mưa lớn sau lũ, sạt lở bờ sông",
    )
    latest = Proposal.objects.filter(kind="risk").latest("pk")
    assert latest.level == 4 and latest.previous_level == 1
    assert latest.alert is not None and latest.alert.template is not None
    assert latest.alert.template.key == "lu-rui-ro-4"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hazard": "alien_invasion"}, "Unknown hazard"),
        ({"hazard": "evacuation"}, "Unknown hazard"),
        ({"bulletin_level": 6}, "1 to 5"),
        ({"bulletin_level": 0}, "1 to 5"),
        ({"source": "   "}, "bulletin"),
        ({"raised_by": 3, "raise_reason": "x"}, "1 or 2"),
    ],
)
def test_a_risk_level_without_a_known_hazard_level_or_source_is_refused(
    fields: dict[str, object], message: str
) -> None:
    from django.utils import translation

    gauge()
    values: dict[str, object] = {
        "hazard": "flood",
        "area": AdminUnit.objects.get(code="W01"),
        "bulletin_level": 2,
        "source": "Tin lũ số 1",
        **fields,
    }
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        actions.record_risk_level(user=user_with(RoleKey.ALERT_OPERATOR, "op"), **values)  # type: ignore[arg-type]
    assert not RiskLevel.objects.exists() and not Proposal.objects.exists()


def test_an_operator_enters_a_risk_level_on_the_back_office_screen() -> None:
    gauge()
    ward = AdminUnit.objects.get(code="W01")
    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "op"))
    page = client.get("/admin/risk-levels/").content.decode()
    assert 'id="risk-level-form"' in page and "cấp độ theo bản tin chính thức" in page
    form = {
        "hazard": "flood",
        "area": str(ward.pk),
        "bulletin_level": "3",
        "source": "Tin cảnh báo lũ số 9",
        "raised_by": "0",
        "raise_reason": "",
    }
    missing = client.post("/admin/risk-levels/", {**form, "source": ""})
    assert missing.status_code == 400 and not RiskLevel.objects.exists()
    raised_without_reason = client.post("/admin/risk-levels/", {**form, "raised_by": "1"})
    assert raised_without_reason.status_code == 400 and not RiskLevel.objects.exists()
    hostile = client.post("/admin/risk-levels/", {**form, "bulletin_level": "9", "area": "x"})
    assert hostile.status_code == 400 and not RiskLevel.objects.exists()
    saved = client.post("/admin/risk-levels/", form)
    assert saved.status_code == 302
    entry = RiskLevel.objects.get()
    assert (entry.level, entry.source, entry.origin) == (3, "Tin cảnh báo lũ số 9", "operator")
    assert Proposal.objects.filter(kind="risk", risk_level=entry).exists()
    listing = client.get("/admin/risk-levels/").content.decode()
    assert 'data-hazard="flood" data-level="3"' in listing


def test_a_viewer_sees_risk_levels_but_cannot_enter_them() -> None:
    gauge()
    ward = AdminUnit.objects.get(code="W01")
    client = Client()
    client.force_login(user_with(RoleKey.VIEWER, "viewer"))
    page = client.get("/admin/risk-levels/")
    assert page.status_code == 200 and 'id="risk-level-form"' not in page.content.decode()
    form = {"hazard": "flood", "area": str(ward.pk), "bulletin_level": "3", "source": "x"}
    refused = client.post("/admin/risk-levels/", form)
    # Wagtail turns a refusal in its admin into a redirect home with a message.
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert not RiskLevel.objects.exists()


def test_an_administrator_sets_a_region_class_with_its_source_and_the_rule_answers() -> None:
    station = gauge(thresholds=(3.0, 4.0, 5.0))
    actions.receive_readings(readings_rising([4.2]), source=Source.HTTP, only_station=station)
    admin = user_with(RoleKey.ADMINISTRATOR, "boss")
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    with pytest.raises(PermissionDenied):
        actions.set_region_class(station, user=operator, region_class=2, source="Phụ lục")
    with pytest.raises(ValidationError):
        actions.set_region_class(station, user=admin, region_class=2, source=" ")
    with pytest.raises(ValidationError):
        actions.set_region_class(station, user=admin, region_class=5, source="Phụ lục")
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/stations/{station.code}/region-class/",
        {"region_class": "2", "region_class_source": "QĐ 18/2021/QĐ-TTg, Phụ lục"},
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert (station.region_class, station.region_class_source) == (
        2,
        "QĐ 18/2021/QĐ-TTg, Phụ lục",
    )
    audit = AuditEntry.objects.get(action="pctt.hazards.region_class")
    assert audit.data["to"] == 2 and audit.actor_label == "boss"
    # BĐ2 to below BĐ3 in region class 2: level 2 by the cited Art. 45 rows.
    page = client.get("/admin/risk-levels/").content.decode()
    assert "Điều 45" in page
    operator_client = Client()
    operator_client.force_login(operator)
    refused = operator_client.post(
        f"/admin/stations/{station.code}/region-class/",
        {"region_class": "1", "region_class_source": "x"},
    )
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    station.refresh_from_db()
    assert station.region_class == 2


def test_the_stations_map_draws_the_ward_outline_only_when_the_ward_has_a_geometry() -> None:
    station = gauge()
    ward = AdminUnit.objects.get(code="W01")
    assert ward.geometry is not None
    with_outline = str(stations_map_svg([station], [ward]))
    assert with_outline.count('class="ward-outline"') == 1
    assert "<title>Phường Thử</title>" in with_outline
    assert 'class="station level-0"' in with_outline

    ward.set_geometry(None)
    ward.save()
    ward.refresh_from_db()
    without = str(stations_map_svg([station], [ward]))
    assert "ward-outline" not in without and 'class="station level-0"' in without
    assert str(stations_map_svg([], [ward])) == ""  # nothing to draw

    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "op"))
    assert "ward-outline" not in client.get("/admin/stations/").content.decode()


def test_the_stations_page_draws_the_outline_of_the_stations_ward() -> None:
    gauge()
    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "op"))
    page = client.get("/admin/stations/").content.decode()
    assert page.count('class="ward-outline"') == 1 and 'class="station level-0"' in page


def test_a_station_placed_inside_its_ward_is_drawn_inside_the_outline() -> None:
    import re

    station = gauge()
    ward = AdminUnit.objects.get(code="W01")
    svg = str(stations_map_svg([station], [ward]))
    path = re.search(r'class="ward-outline" d="([^"]+)"', svg)
    dot = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert path is not None and dot is not None
    xs = [float(p.split(",")[0]) for p in re.findall(r"[\d.]+,[\d.]+", path.group(1))]
    ys = [float(p.split(",")[1]) for p in re.findall(r"[\d.]+,[\d.]+", path.group(1))]
    cx, cy = float(dot.group(1)), float(dot.group(2))
    assert min(xs) < cx < max(xs) and min(ys) < cy < max(ys)
