from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pctt.areas.models import AdminUnit
from pctt.plans.models import Activity, Organisation

pytestmark = pytest.mark.django_db
URL = "/ke-hoach/api/hoat-dong/"


def _payload(org: Organisation, **fields: Any) -> dict[str, Any]:
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    return {
        "organisation": org.pk,
        "client_id": str(uuid.uuid4()),
        "kind": "door_to_door",
        "held_on": timezone.localdate().isoformat(),
        "groups": [group.pk],
        "themes": ["C4"],
        "participants": 12,
        "women": 8,
        **fields,
    }


@pytest.fixture
def phone(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["daumoi.phunu"])
    return client


def _post(client: Client, body: object) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_an_entry_is_created_then_a_replay_returns_the_same_activity(
    phone: Client, orgs: dict[str, Organisation]
) -> None:
    payload = _payload(orgs["womens_union"])
    first = _post(phone, payload)
    assert first.status_code == 201, first.content
    replay = _post(phone, payload)
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"] and replay.json()["created"] is False
    assert Activity.objects.filter(client_id=payload["client_id"]).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "__all__"),
        ("[1, 2]", "__all__"),
        (b"\xff\xfe", "__all__"),
        ({"participants": "many"}, "participants"),
        ({"participants": True}, "participants"),
        ({"groups": "1,2"}, "groups"),
        ({"themes": [1]}, "themes"),
        ({"client_id": "abc"}, "client_id"),
        ({"held_on": "31/12/2026"}, "held_on"),
        ({"organisation": "women"}, "organisation"),
        ({"organisation": 999_999}, "organisation"),
        ({"women": 13}, "women"),
        ({"place": "x" * 201}, "place"),
        ({"themes": ["C4\x00"]}, "__all__"),
        ({"description": "a\x00b"}, "__all__"),
    ],
)
def test_malformed_entries_get_400_with_the_field_and_nothing_is_saved(
    phone: Client, orgs: dict[str, Organisation], body: Any, field: str
) -> None:
    before = Activity.objects.count()
    if isinstance(body, dict):
        body = _payload(orgs["womens_union"], **body)
    response = _post(phone, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Activity.objects.count() == before


def test_an_oversized_entry_is_refused_with_413(
    phone: Client, orgs: dict[str, Organisation]
) -> None:
    response = _post(phone, _payload(orgs["womens_union"], description="x" * 20_000))
    assert response.status_code == 413


def test_another_organisation_or_no_session_is_refused_with_403(
    phone: Client, orgs: dict[str, Organisation]
) -> None:
    assert _post(phone, _payload(orgs["youth_union"])).status_code == 403
    assert _post(Client(), _payload(orgs["womens_union"])).status_code == 403


def test_the_phone_page_lists_only_the_focal_points_organisation(phone: Client) -> None:
    page = phone.get("/ke-hoach/hoat-dong/moi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hội Liên hiệp Phụ nữ phường" in text and "Đoàn Thanh niên phường" not in text
    assert Client().get("/ke-hoach/hoat-dong/moi/").status_code == 302
