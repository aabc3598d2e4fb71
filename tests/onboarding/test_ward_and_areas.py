"""Steps 1–3: the ward from the official list, residential groups and hazard zones."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pctt.accounts.models import AuditEntry
from pctt.accounts.roles import RoleKey
from pctt.areas.actions import AreaImportError
from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.onboarding import actions, steps, wardsearch
from pctt.onboarding.models import Onboarding
from tests.areas.factories import collection, feature, square
from tests.onboarding.conftest import OTHER_WARD_CODE, WARD_CODE, user_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "cam duong",
        "Cam Đường",
        "CAM ĐƯỜNG lào cai",
        "phuong cam duong",
        WARD_CODE,
        "  cam   duong ",
    ],
)
def test_the_ward_is_found_with_or_without_marks_or_by_its_code(
    reference: None, query: str
) -> None:
    hits = wardsearch.search(query)
    assert hits and hits[0].code == WARD_CODE
    assert hits[0].province == "Tỉnh Lào Cai"


@pytest.mark.parametrize(
    "query", ["", "   ", "<script>alert(1)</script>", "%", "_", "x" * 10_000, "\x00", "đ" * 500]
)
def test_hostile_or_empty_searches_find_nothing_and_do_not_fail(
    reference: None, query: str
) -> None:
    assert wardsearch.search(query) == []


def test_a_search_returns_a_short_list_with_name_starts_first(reference: None) -> None:
    hits = wardsearch.search("xa")
    assert 0 < len(hits) <= 20
    starts = wardsearch.search("lao cai")
    assert starts[0].name == "Phường Lào Cai"


def test_choosing_the_ward_makes_the_installation_serve_it_and_is_audited(
    admin: Any, ward: AdminUnit
) -> None:
    state = actions.state_for(admin)
    actions.choose_ward(
        state, ward, user=admin, display_name="Phường Cam Đường", cap_sender="ubnd@camduong.example"
    )
    setting = WardSetting.load()
    assert setting.ward == ward
    assert setting.cap_sender == "ubnd@camduong.example"
    assert Onboarding.current().ward == ward  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="pctt.onboarding.choose_ward").count() == 1
    assert steps.BY_KEY["ward"].check(state)


def test_a_province_or_a_bad_cap_sender_is_refused_and_nothing_changes(
    admin: Any, ward: AdminUnit
) -> None:
    state = actions.state_for(admin)
    with pytest.raises(actions.SetupError):
        actions.choose_ward(state, ward.parent, user=admin)  # type: ignore[arg-type]
    with pytest.raises(actions.SetupError, match="spaces"):
        actions.choose_ward(state, ward, user=admin, cap_sender="ubnd phuong, x")
    assert WardSetting.load().ward is None


def test_only_administrators_run_the_wizard(ward: AdminUnit) -> None:
    operator = user_with(RoleKey.ALERT_OPERATOR, "soan1")
    with pytest.raises(PermissionDenied):
        actions.state_for(operator)


def _group(code: str, parent: str = WARD_CODE, **extra: Any) -> dict[str, Any]:
    return feature(
        square(103.97, 22.40, 0.005),
        code=code,
        name=f"Tổ dân phố {code}",
        level="residential_group",
        parent_code=parent,
        **extra,
    )


def test_a_file_of_the_wards_groups_is_imported_through_the_areas_action(
    admin: Any, state: Onboarding
) -> None:
    data = collection(_group("CD-TDP-01", households=120), _group("CD-TDP-02"))
    assert (
        actions.import_file(
            state, data, user=admin, source="to.geojson", levels=actions.GROUP_LEVELS
        )
        == 2
    )
    assert AdminUnit.objects.groups().filter(parent=state.ward).count() == 2
    assert AuditEntry.objects.filter(action="pctt.areas.import").exists()
    assert steps.BY_KEY["groups"].check(state)
    assert not steps.BY_KEY["zones"].check(state)


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ([_group("X-1", parent=OTHER_WARD_CODE)], "parent_code must be 02671"),
        (
            [
                feature(
                    square(103.97, 22.40, 0.005),
                    code="Z-1",
                    name="Vùng ngập",
                    level="hazard_zone",
                    hazard="flood",
                    parent_code=WARD_CODE,
                )
            ],
            "this step imports only",
        ),
    ],
)
def test_a_file_that_touches_another_ward_or_kind_is_refused_whole(
    admin: Any, state: Onboarding, features: list[dict[str, Any]], expected: str
) -> None:
    data = collection(_group("OK-1"), *features)
    with pytest.raises(actions.SetupError) as caught:
        actions.import_file(state, data, user=admin, source="x", levels=actions.GROUP_LEVELS)
    assert any(expected in line for line in caught.value.lines)
    assert not AdminUnit.objects.filter(code="OK-1").exists()


def test_a_code_of_another_wards_group_is_not_taken_over(admin: Any, state: Onboarding) -> None:
    from pctt.areas.actions import import_areas

    import_areas(collection(_group("THEIRS", parent=OTHER_WARD_CODE)))
    with pytest.raises(actions.SetupError) as caught:
        actions.import_file(
            state, collection(_group("THEIRS")), user=admin, source="x", levels=actions.GROUP_LEVELS
        )
    assert "already belongs to another area" in caught.value.lines[0]
    assert AdminUnit.objects.get(code="THEIRS").parent.code == OTHER_WARD_CODE  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b'{"type": "FeatureCollection"}',
        b"[]",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}).encode(),
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_files_are_refused_with_reasons_and_nothing_written(
    admin: Any, state: Onboarding, data: bytes
) -> None:
    before = AdminUnit.objects.count()
    with pytest.raises(AreaImportError) as caught:
        actions.import_file(state, data, user=admin, source="x", levels=actions.GROUP_LEVELS)
    assert caught.value.lines()
    assert AdminUnit.objects.count() == before


def test_an_oversized_file_is_refused(admin: Any, state: Onboarding, settings: Any) -> None:
    settings.PCTT_AREAS_MAX_IMPORT_BYTES = 1000
    data = collection(*[_group(f"G-{i}") for i in range(30)])
    with pytest.raises(AreaImportError):
        actions.import_file(state, data, user=admin, source="x", levels=actions.GROUP_LEVELS)


def test_a_drawn_group_gets_a_free_code_and_a_drawn_zone_its_hazard(
    admin: Any, state: Onboarding
) -> None:
    polygon = square(103.97, 22.40, 0.004)
    code = actions.draw_area(
        state,
        actions.DrawnArea(name="Tổ dân phố 1", geometry=polygon, households=80),
        user=admin,
        level="residential_group",
    )
    assert code == f"{WARD_CODE}-TDP-01"
    second = actions.draw_area(
        state,
        actions.DrawnArea(name="Tổ dân phố 2", geometry=polygon),
        user=admin,
        level="residential_group",
    )
    assert second == f"{WARD_CODE}-TDP-02"
    zone = actions.draw_area(
        state,
        actions.DrawnArea(name="Ven suối", geometry=polygon, hazard="flood"),
        user=admin,
        level="hazard_zone",
    )
    assert HazardZone.objects.get(code=zone).hazard == "flood"
    assert AdminUnit.objects.get(code=code).households == 80


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow tie
        {"type": "Polygon", "coordinates": [[[103.9, 22.4], [103.91, 22.4]]]},  # two corners
        {"type": "Point", "coordinates": [103.9, 22.4]},
        {"type": "Polygon", "coordinates": [[[500, 22.4], [501, 22.4], [501, 23], [500, 22.4]]]},
    ],
)
def test_a_bad_drawing_is_refused_and_nothing_saved(
    admin: Any, state: Onboarding, geometry: dict[str, Any]
) -> None:
    with pytest.raises(AreaImportError):
        actions.draw_area(
            state,
            actions.DrawnArea(name="Tổ 9", geometry=geometry),
            user=admin,
            level="residential_group",
        )
    assert not AdminUnit.objects.groups().filter(parent=state.ward).exists()


def test_steps_after_the_first_need_a_real_ward(admin: Any, demo_ward: AdminUnit) -> None:
    state = actions.state_for(admin)
    state.ward = demo_ward
    state.save()
    with pytest.raises(actions.SetupError):
        actions.draw_area(
            state, actions.DrawnArea(name="x", geometry=square(1, 1)), user=admin, level="hamlet"
        )
    assert not steps.BY_KEY["ward"].check(state)
