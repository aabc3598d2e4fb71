"""The wizard in the back office (Django test client): who gets there, each step's screen,
and the dashboard panel that lists what a ward skipped."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pctt.accounts.roles import RoleKey
from pctt.areas.models import AdminUnit, WardSetting
from pctt.onboarding import actions, steps
from pctt.onboarding.models import Onboarding
from tests.areas.factories import collection, feature, square
from tests.onboarding.conftest import WARD_CODE, user_with

pytestmark = pytest.mark.django_db


def test_a_fresh_install_sends_the_first_administrator_to_the_wizard(
    admin_client: Client, reference: None
) -> None:
    response = admin_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/thiet-lap/"
    page = admin_client.get("/admin/thiet-lap/")
    assert page.status_code == 200
    assert "ob-start" in page.content.decode()


def test_with_the_demo_ward_the_home_page_offers_the_wizard_instead_of_redirecting(
    admin_client: Client, demo_ward: Any
) -> None:
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="onboarding-missing"' in html
    assert "/admin/thiet-lap/" in html


def test_other_roles_are_not_redirected_and_cannot_open_the_wizard(reference: None) -> None:
    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "soan2"))
    assert client.get("/admin/").status_code == 200
    for url in ("/admin/thiet-lap/", "/admin/thiet-lap/ward/"):
        refused = client.get(url)  # Wagtail turns PermissionDenied into a redirect home
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.post("/admin/thiet-lap/ward/", {"action": "skip"}).status_code == 302
    assert Onboarding.current() is None
    assert client.get("/admin/thiet-lap/tim-phuong.json?q=cam").status_code == 403
    assert client.get("/admin/thiet-lap/ranh-gioi.geojson").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_starting_loads_the_official_list_when_it_is_incomplete(
    admin_client: Client, admin: Any
) -> None:
    assert not AdminUnit.objects.exists()
    response = admin_client.post("/admin/thiet-lap/")
    assert response.status_code == 302 and response["Location"] == "/admin/thiet-lap/ward/"
    assert AdminUnit.objects.filter(level="commune").count() == actions.REFERENCE_COMMUNES
    assert Onboarding.current() is not None


def test_the_ward_search_answers_as_json_and_without_javascript(
    admin_client: Client, reference: None
) -> None:
    data = admin_client.get("/admin/thiet-lap/tim-phuong.json", {"q": "cam duong"}).json()
    assert data["results"][0]["code"] == WARD_CODE
    page = admin_client.get("/admin/thiet-lap/ward/", {"q": "cam duong"}).content.decode()
    assert "Phường Cam Đường" in page and 'type="radio"' in page


def test_choosing_the_ward_in_the_form_serves_it_and_moves_on(
    admin_client: Client, ward: AdminUnit
) -> None:
    response = admin_client.post(
        "/admin/thiet-lap/ward/",
        {"action": "choose", "ward": ward.pk, "display_name": "", "cap_sender": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/thiet-lap/groups/"
    assert WardSetting.load().ward == ward


@pytest.mark.parametrize("ward_value", ["", "abc", "999999999", "1 OR 1=1"])
def test_a_missing_or_forged_ward_is_refused_in_vietnamese_terms(
    admin_client: Client, reference: None, ward_value: str
) -> None:
    response = admin_client.post("/admin/thiet-lap/ward/", {"action": "choose", "ward": ward_value})
    assert response.status_code == 200
    assert WardSetting.load().ward is None


def test_later_steps_wait_for_the_ward(admin_client: Client, reference: None) -> None:
    response = admin_client.get("/admin/thiet-lap/zones/")
    assert response.status_code == 302 and response["Location"] == "/admin/thiet-lap/ward/"


@pytest.mark.parametrize("key", steps.STEP_KEYS)
def test_every_step_renders(admin_client: Client, state: Any, key: str) -> None:
    response = admin_client.get(f"/admin/thiet-lap/{key}/")
    assert response.status_code == 200
    assert f'id="step-{key}"' in response.content.decode()


def test_an_unknown_step_or_button_is_not_found(admin_client: Client, state: Any) -> None:
    assert admin_client.get("/admin/thiet-lap/nope/").status_code == 404
    assert admin_client.post("/admin/thiet-lap/groups/", {"action": "explode"}).status_code == 404


def test_uploading_groups_imports_them_and_a_bad_file_lists_every_problem(
    admin_client: Client, state: Any
) -> None:
    good = collection(
        feature(
            square(103.97, 22.4, 0.004),
            code="CD-1",
            name="Tổ 1",
            level="residential_group",
            parent_code=WARD_CODE,
        )
    )
    response = admin_client.post(
        "/admin/thiet-lap/groups/",
        {"action": "upload", "file": SimpleUploadedFile("to.geojson", good)},
    )
    assert response.status_code == 302
    assert AdminUnit.objects.filter(code="CD-1").exists()
    bad = collection(
        feature(
            square(103.97, 22.4, 0.004),
            code="CD-2",
            name="",
            level="residential_group",
            parent_code=WARD_CODE,
        ),
        feature(
            square(103.97, 22.4, 0.004),
            code="CD-3",
            name="Tổ 3",
            level="residential_group",
            parent_code="NOPE",
        ),
    )
    response = admin_client.post(
        "/admin/thiet-lap/groups/",
        {"action": "upload", "file": SimpleUploadedFile("bad.geojson", bad)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "CD-2" in html and "CD-3" in html and "ob-errors" in html
    assert not AdminUnit.objects.filter(code__in=["CD-2", "CD-3"]).exists()


def test_drawing_a_zone_through_the_form_saves_it(admin_client: Client, state: Any) -> None:
    geometry = json.dumps(square(103.97, 22.4, 0.003))
    response = admin_client.post(
        "/admin/thiet-lap/zones/",
        {
            "action": "draw",
            "name": "Ven suối Ngòi Đường",
            "hazard": "flood",
            "geometry": geometry,
            "code": "",
        },
    )
    assert response.status_code == 302
    assert steps.BY_KEY["zones"].check(Onboarding.current())  # type: ignore[arg-type]


@pytest.mark.parametrize("geometry", ["", "not json", "[1,2]", "{" * 5000, json.dumps("x")])
def test_a_drawing_that_is_not_an_outline_is_refused(
    admin_client: Client, state: Any, geometry: str
) -> None:
    response = admin_client.post(
        "/admin/thiet-lap/groups/", {"action": "draw", "name": "Tổ 1", "geometry": geometry}
    )
    assert response.status_code == 200
    assert not AdminUnit.objects.groups().exists()


def test_creating_an_account_shows_its_password_once(admin_client: Client, state: Any) -> None:
    response = admin_client.post(
        "/admin/thiet-lap/users/",
        {
            "action": "add",
            "full_name": "Trần Thị B",
            "username": "tran.b",
            "email": "",
            "role": "alert_approver",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ob-new-password"' in html
    again = admin_client.get("/admin/thiet-lap/users/").content.decode()
    assert 'id="ob-new-password"' not in again


def test_the_dashboard_lists_skipped_steps_with_links_for_administrators_only(
    admin_client: Client, admin: Any, state: Any
) -> None:
    actions.skip(state, "zones", user=admin)
    html = admin_client.get("/admin/").content.decode()
    assert 'data-step="zones"' in html and "/admin/thiet-lap/zones/" in html
    operator = Client()
    operator.force_login(user_with(RoleKey.ALERT_OPERATOR, "soan3"))
    html = operator.get("/admin/").content.decode()
    assert 'data-step="zones"' in html
    assert "/admin/thiet-lap/zones/" not in html


def test_finishing_keeps_listing_what_is_still_missing(
    admin_client: Client, admin: Any, state: Any
) -> None:
    actions.finish(state, user=admin)
    html = admin_client.get("/admin/").content.decode()
    assert 'data-step="finish"' not in html
    assert 'data-step="groups"' in html
