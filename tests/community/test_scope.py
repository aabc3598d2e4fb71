"""Object-level rules: a focal point works only on what is assigned to their organisation, a
triage officer only on their queue (new submissions and their own); ward-wide roles see all."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from pctt.accounts.models import Membership
from pctt.accounts.roles import RoleKey
from pctt.community import actions
from pctt.community.models import Status, Submission
from pctt.plans.models import Organisation
from tests.community.conftest import jpeg, user_with

pytestmark = pytest.mark.django_db


def _receive(text: str, **fields: Any) -> Submission:
    return actions.receive(actions.Intake(kind="question", source="portal", text=text, **fields))


@pytest.fixture
def orgs(ward: Any) -> dict[str, Organisation]:
    return {o.kind: o for o in Organisation.objects.all()}


@pytest.fixture
def people(orgs: dict[str, Organisation]) -> dict[str, Any]:
    focal = user_with(RoleKey.FOCAL_POINT, "daumoi-pn")
    Membership.objects.create(user=focal, organisation=orgs["womens_union"])
    officer = user_with(RoleKey.TRIAGE_OFFICER, "tiepnhan-mt")
    Membership.objects.create(user=officer, organisation=orgs["fatherland_front"])
    return {"focal": focal, "officer": officer, "admin": user_with(RoleKey.ADMINISTRATOR, "qt")}


@pytest.fixture
def rows(people: dict[str, Any], orgs: dict[str, Organisation]) -> dict[str, Submission]:
    admin = people["admin"]
    found = {
        "new": _receive("Điểm sơ tán tổ 1 ở đâu?"),
        "women": _receive("Hội phụ nữ có phát áo phao không?"),
        "youth": _receive("Đoàn thanh niên có đội cứu hộ không?"),
        "front": _receive("Mặt trận nhận hàng cứu trợ ở đâu?"),
    }
    for key, kind in (
        ("women", "womens_union"),
        ("youth", "youth_union"),
        ("front", "fatherland_front"),
    ):
        actions.assign([found[key]], user=admin, organisation_id=orgs[kind].pk)
    return found


def _visible(user: Any) -> set[int]:
    return set(actions.visible_submissions(user).values_list("pk", flat=True))


def test_each_official_sees_only_their_queue(
    people: dict[str, Any], rows: dict[str, Submission]
) -> None:
    pk = {key: row.pk for key, row in rows.items()}
    assert _visible(people["focal"]) == {pk["women"]}
    assert _visible(people["officer"]) == {pk["new"], pk["front"]}
    assert _visible(people["admin"]) == set(pk.values())
    assert _visible(user_with(RoleKey.ALERT_OPERATOR, "canhbao")) == set(pk.values())
    assert _visible(user_with(RoleKey.VIEWER, "captren")) == set()


def test_a_focal_point_cannot_act_outside_their_organisation(
    people: dict[str, Any], rows: dict[str, Submission], orgs: dict[str, Organisation]
) -> None:
    focal = people["focal"]
    for act in (
        lambda: actions.answer(rows["youth"], "Có.", user=focal),
        lambda: actions.set_status([rows["new"]], Status.CLOSED, user=focal),
        lambda: actions.set_theme([rows["front"]], "relief", user=focal),
        lambda: actions.merge([rows["youth"]], into=rows["women"], user=focal),
        lambda: actions.erase_contact(rows["youth"], user=focal, reason="test"),
        # Their own row, but sent to another organisation: only dispatchers do that.
        lambda: actions.assign([rows["women"]], user=focal, organisation_id=orgs["youth_union"].pk),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert Submission.objects.filter(status=Status.ANSWERED).count() == 0
    assert Submission.objects.get(pk=rows["women"].pk).assigned_organisation == orgs["womens_union"]
    assert actions.answer(rows["women"], "Có, tại nhà văn hoá.", user=focal) == 1


def test_a_triage_officer_dispatches_new_submissions_and_then_sees_only_their_own(
    people: dict[str, Any], rows: dict[str, Submission], orgs: dict[str, Organisation]
) -> None:
    officer = people["officer"]
    with pytest.raises(PermissionDenied):
        actions.answer(rows["women"], "Không.", user=officer)
    actions.assign([rows["new"]], user=officer, organisation_id=orgs["youth_union"].pk)
    assert rows["new"].pk not in _visible(officer)
    assert rows["new"].pk in _visible(people["admin"])
    with pytest.raises(PermissionDenied):  # an assignee must belong to the organisation
        actions.assign(
            [rows["front"]],
            user=officer,
            organisation_id=orgs["fatherland_front"].pk,
            assignee_id=people["focal"].pk,
        )


def test_screens_hide_other_organisations_submissions(
    people: dict[str, Any], rows: dict[str, Submission], orgs: dict[str, Organisation]
) -> None:
    client = Client()
    client.force_login(people["focal"])
    queue = client.get("/admin/community/?status=all").content.decode()
    assert rows["women"].reference in queue
    assert rows["youth"].reference not in queue and rows["new"].reference not in queue
    assert client.get(f"/admin/community/{rows['youth'].pk}/").status_code == 404
    assert client.get(f"/admin/community/{rows['women'].pk}/").status_code == 200
    # The assign list offers only their own organisation.
    detail = client.get(f"/admin/community/{rows['women'].pk}/").content.decode()
    assert orgs["womens_union"].name in detail and orgs["youth_union"].name not in detail
    # A bulk request naming a row outside the queue changes nothing.
    client.post(
        "/admin/community/",
        {"ids": [rows["women"].pk, rows["youth"].pk], "action": "status", "status": "closed"},
    )
    assert not Submission.objects.filter(status=Status.CLOSED).exists()


def test_photos_of_other_organisations_are_not_served(
    people: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    report = actions.receive(
        actions.Intake(kind="hazard", source="portal", text="Sạt taluy", photo_jpeg=jpeg())
    )
    actions.assign([report], user=people["admin"], organisation_id=orgs["youth_union"].pk)
    client = Client()
    client.force_login(people["focal"])
    assert client.get(f"/admin/community/{report.pk}/photo.jpg").status_code == 404
    client.force_login(people["admin"])
    served = client.get(f"/admin/community/{report.pk}/photo.jpg")
    served.close()
    assert served.status_code == 200
