"""The back-office screens drive the same actions as the API and CLI."""

from __future__ import annotations

import pytest
from django.test import Client

from pctt.accounts.roles import RoleKey
from pctt.alerts.models import Alert
from pctt.areas.models import AdminUnit
from tests.alerts.factories import FLOOD_VALUES, flood_draft, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(demo_ward: object) -> Client:
    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "op"))
    return client


def test_an_operator_drafts_from_a_template_with_areas(operator_client: Client) -> None:
    response = operator_client.get("/admin/warnings/new/")
    assert "Lũ trên sông — báo động II" in response.content.decode()
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    response = operator_client.post(
        "/admin/warnings/new/?template=lu-bao-dong-2",
        {
            **{f"ph_{k}": v for k, v in FLOOD_VALUES.items()},
            "status": "Actual",
            "areas": [group.pk],
        },
    )
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{alert.pk}/")
    assert list(alert.areas.all()) == [group]


def test_the_detail_page_shows_every_preview_and_the_reach(operator_client: Client) -> None:
    alert = flood_draft(
        Alert.objects.model._meta.apps.get_model("auth", "User").objects.get(username="op")
    )
    html = operator_client.get(f"/admin/warnings/{alert.pk}/").content.decode()
    for expected in (
        "SMS",
        "UCS-2",
        "GSM-7",
        "valid CAP 1.2",
        alert.headline_vi,
        'id="reach-email"',
    ):
        assert expected in html or expected.replace("valid CAP 1.2", "CAP 1.2") in html, expected


def test_a_bad_drawn_area_is_refused_with_a_message(operator_client: Client) -> None:
    response = operator_client.post(
        "/admin/warnings/new/?template=lu-bao-dong-2",
        {"status": "Actual", "drawn_area": '{"type": "Polygon", "coordinates": [[[1, 2]]]}'},
    )
    assert response.status_code == 200
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    "payload", ["not json", "[]", '{"type": "Point", "coordinates": [1,2]}', "x" * 60_000]
)
def test_hostile_drawn_areas_never_crash(operator_client: Client, payload: str) -> None:
    response = operator_client.post(
        "/admin/warnings/new/?template=lu-bao-dong-2", {"status": "Actual", "drawn_area": payload}
    )
    assert response.status_code == 200
    assert Alert.objects.count() == 0


def test_the_author_sees_no_approve_button_and_a_post_is_refused(
    operator_client: Client,
) -> None:
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.get(username="op")
    author.groups.add(user_with(RoleKey.ALERT_APPROVER, "ap-tmp").groups.get())
    operator_client.force_login(author)  # now an approver: signs in again with a second factor
    alert = flood_draft(author)
    operator_client.post(f"/admin/warnings/{alert.pk}/submit/")
    html = operator_client.get(f"/admin/warnings/{alert.pk}/").content.decode()
    assert "Approve and send" not in html and "Phê duyệt và gửi" not in html
    operator_client.post(f"/admin/warnings/{alert.pk}/approve/")
    alert.refresh_from_db()
    assert alert.state == Alert.State.SUBMITTED


def test_viewers_cannot_open_the_new_warning_screen(demo_ward: object) -> None:
    client = Client()
    client.force_login(user_with(RoleKey.VIEWER, "v"))
    refused = client.get("/admin/warnings/new/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's refusal
    assert client.get("/admin/warnings/").status_code == 200


def test_relaying_an_upstream_warning_opens_a_prefilled_draft_that_references_it(
    operator_client: Client,
) -> None:
    from django.utils import timezone

    from pctt.alerts.models import CapFeed, UpstreamAlert
    from tests.conftest import shared_data

    xml = shared_data("cap", "oasis_spec_a2_severe_thunderstorm.xml").read_text()
    upstream = UpstreamAlert.objects.create(
        feed=CapFeed.objects.create(name="KTTV", url="http://127.0.0.1:9/feed"),
        sender="KSTO@NWS.NOAA.GOV",
        identifier="KSTO1055887203",
        sent=timezone.now(),
        msg_type="Alert",
        status="Actual",
        intersects_ward=True,
        xml=xml,
        headline="SEVERE THUNDERSTORM WARNING",
    )
    response = operator_client.post(f"/admin/warnings/relay/{upstream.pk}/")
    draft = Alert.objects.get()
    assert response["Location"].endswith(f"/admin/warnings/{draft.pk}/")
    assert draft.upstream == upstream and draft.state == Alert.State.DRAFT
    assert draft.headline_vi == "SEVERE THUNDERSTORM WARNING"
    assert draft.areas.count() == 10  # the whole ward until the operator narrows it
