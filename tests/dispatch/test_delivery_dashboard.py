"""Back-office delivery status: counts per channel and residential group, the residents not
reached on any channel (masked for everyone but administrators), and who may see it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pctt.accounts.roles import RoleKey, group_for, sync_roles
from pctt.dispatch.actions import create_broadcast, withdraw_broadcasts
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Broadcast, Delivery
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db


def _login(client: Client, role: RoleKey | None) -> Client:
    sync_roles()
    user = get_user_model().objects.create_user(f"u-{role}", password="x")
    if role is not None:
        user.groups.add(group_for(role))
    client.force_login(user)
    return client


@pytest.fixture
def broadcast(settings: object) -> Broadcast:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    _commune, g1, g2 = f.ward()
    f.subscriber(group=g1, phone="+84912000001", email="an@example.org", channels=("sms", "email"))
    f.subscriber(group=g1, phone="+84912000002")
    f.subscriber(group=g2, phone="+84912000003")
    b = create_broadcast(
        reference="alert:7:v1",
        status="actual",
        priority="emergency",
        area_ids=[g1.pk, g2.pk],
        content={**f.SMS_CONTENT, **f.EMAIL_CONTENT},
    )
    fan_out(b.pk)
    # Subscriber 1: SMS failed, e-mail delivered (reached). 2: SMS sent. 3: SMS failed.
    rows = {(d.recipient_id, d.channel): d for d in Delivery.objects.all()}
    subs = sorted({r for r, _c in rows})
    Delivery.objects.filter(pk=rows[(subs[0], 1)].pk).update(status="failed", last_error="x")
    Delivery.objects.filter(pk=rows[(subs[0], 2)].pk).update(status="delivered")
    Delivery.objects.filter(pk=rows[(subs[1], 1)].pk).update(status="sent")
    Delivery.objects.filter(pk=rows[(subs[2], 1)].pk).update(status="failed", last_error="x")
    return b


def _table(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_counts_per_channel_and_group_and_the_unreached_list_masked_for_operators(
    client: Client, broadcast: Broadcast
) -> None:
    _login(client, RoleKey.ALERT_OPERATOR)
    response = client.get(f"/admin/delivery/{broadcast.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # Columns: label, queued, sending, sent, delivered, failed, withdrawn, total.
    by_channel = _table(html, "by-channel")
    assert by_channel[1][0] == "Tin nhắn SMS" and by_channel[1][1:] == [
        "0",
        "0",
        "1",
        "0",
        "2",
        "0",
        "3",
    ]
    assert by_channel[2][1:] == ["0", "0", "0", "1", "0", "0", "1"]
    assert by_channel[3][1:] == ["0", "0", "1", "1", "2", "0", "4"]
    by_group = {r[0]: r[1:] for r in _table(html, "by-group")[1:]}
    assert by_group["Tổ 1"] == ["0", "0", "1", "1", "1", "0", "3"]
    assert by_group["Tổ 2"] == ["0", "0", "0", "0", "1", "0", "1"]
    unreached = _table(html, "unreached")[1:]
    assert len(unreached) == 1 and unreached[0][0] == "Tổ 2"
    assert "•" in unreached[0][1] and "+84912000003" not in html


def test_administrators_see_the_unreached_numbers_in_full(
    client: Client, broadcast: Broadcast
) -> None:
    _login(client, RoleKey.ADMINISTRATOR)
    html = client.get(f"/admin/delivery/{broadcast.pk}/").content.decode()
    assert _table(html, "unreached")[1][1] == "+84912000003"


def test_index_lists_broadcasts_with_their_counts_and_withdrawals(
    client: Client, broadcast: Broadcast
) -> None:
    Delivery.objects.filter(status="sent").update(status="queued")
    withdraw_broadcasts(reference_prefix="alert:7")
    _login(client, RoleKey.VIEWER)
    response = client.get("/admin/delivery/")
    assert response.status_code == 200
    [row] = _table(response.content.decode(), "broadcasts")[1:]
    assert row[0].startswith("alert:7:v1") and row[2:] == ["0", "0", "0", "1", "2", "1"]


def test_users_without_the_permission_are_refused(client: Client, broadcast: Broadcast) -> None:
    _login(client, None)
    assert client.get(f"/admin/delivery/{broadcast.pk}/").status_code in (302, 403)
    assert client.get("/admin/delivery/").status_code in (302, 403)


def test_unknown_broadcast_is_404(client: Client) -> None:
    _login(client, RoleKey.ALERT_OPERATOR)
    assert client.get("/admin/delivery/999999/").status_code == 404
