"""Delivery-report endpoints per provider kind: vendor codes mapped as data, hostile bodies 400."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from pctt.dispatch.channels.webhook import sign
from pctt.dispatch.models import Broadcast, Delivery
from pctt.dispatch.models.outbox import Channel
from tests.dispatch import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.dispatch.urls")]
TOKEN = "test-webhook-token"
SECRET = "partner-shared-secret"


@pytest.fixture(autouse=True)
def providers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_WEBHOOK_TOKEN", TOKEN)
    monkeypatch.setenv("PCTT_TEST_PARTNER_SECRET", SECRET)
    f.provider(
        name="oa",
        channel=Channel.APP,
        kind="messaging_app",
        options={"url": "http://127.0.0.1:9/", "webhook_token_env": "PCTT_TEST_WEBHOOK_TOKEN"},
    )
    f.provider(
        name="partner",
        channel=Channel.WEBHOOK,
        kind="webhook",
        options={
            "url": "http://127.0.0.1:9/",
            "secret_env": "PCTT_TEST_PARTNER_SECRET",
            "status_codes": {"HANDED_OVER": "delivered", "NO_ROUTE": "failed"},
        },
    )
    f.provider(
        name="gw",
        kind="sms_http",
        options={
            "url": "http://127.0.0.1:9/",
            "webhook_token_env": "PCTT_TEST_WEBHOOK_TOKEN",
            "report": {"id_field": "msgid", "status_field": "dlr.code"},
            "status_codes": {"1": "delivered", "2": "failed", "8": "sent"},
        },
    )


def _sent(provider: str, pmid: str, n: int = 1) -> Delivery:
    b, _ = Broadcast.objects.get_or_create(reference="alert:r", status="actual", priority="normal")
    return Delivery.objects.create(
        broadcast=b,
        recipient_kind=1,
        recipient_id=n,
        channel=1,
        status="sent",
        provider=provider,
        provider_message_id=pmid,
    )


def _post_token(client: Client, provider: str, body: object) -> int:
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        f"/dang-ky/bao-cao-gui/{provider}/",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    ).status_code


def _post_signed(client: Client, body: bytes, *, key: str = SECRET, at: int | None = None) -> int:
    header = sign(key, body, int(time.time()) if at is None else at)
    return client.post(
        "/dang-ky/bao-cao-gui/partner/",
        data=body,
        content_type="application/json",
        HTTP_X_PCTT_SIGNATURE=header,
    ).status_code


@pytest.mark.parametrize(("code", "status"), [("1", "delivered"), ("2", "failed"), ("8", "sent")])
def test_gateway_numeric_codes_map_through_the_providers_table(
    client: Client, code: str, status: str
) -> None:
    d = _sent("gw", "g-1")
    assert _post_token(client, "gw", {"msgid": "g-1", "dlr": {"code": code}}) == 200
    d.refresh_from_db()
    assert d.status == status


def test_messaging_app_received_and_seen_events_mark_delivered(client: Client) -> None:
    a, b = _sent("oa", "z-1", 1), _sent("oa", "z-2", 2)
    body = {"event_name": "user_received_message", "message": {"msg_id": "z-1"}}
    assert _post_token(client, "oa", body) == 200
    seen = {"event_name": "user_seen_message", "message": {"msg_ids": ["z-2", "z-404"]}}
    response = client.post(
        "/dang-ky/bao-cao-gui/oa/",
        data=json.dumps(seen),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.json() == {"received": 2, "updated": 1}
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == "delivered"


def test_messaging_app_other_events_are_accepted_and_change_nothing(client: Client) -> None:
    d = _sent("oa", "z-1")
    assert _post_token(client, "oa", {"event_name": "follow", "follower": {"id": "1"}}) == 200
    d.refresh_from_db()
    assert d.status == "sent"


def test_signed_partner_report_is_applied_and_a_late_failure_does_not_undo_it(
    client: Client,
) -> None:
    d = _sent("partner", "pctt-1-1-1-5")
    ok = json.dumps({"message_id": "pctt-1-1-1-5", "status": "HANDED_OVER"}).encode()
    assert _post_signed(client, ok) == 200
    late = json.dumps({"message_id": "pctt-1-1-1-5", "status": "NO_ROUTE"}).encode()
    assert _post_signed(client, late) == 200
    d.refresh_from_db()
    assert d.status == "delivered"


def test_partner_report_unsigned_stale_or_forged_is_refused(client: Client) -> None:
    d = _sent("partner", "pctt-1-1-1-5")
    body = json.dumps({"message_id": "pctt-1-1-1-5", "status": "HANDED_OVER"}).encode()
    assert _post_signed(client, body, key="forged") == 403
    assert _post_signed(client, body, at=int(time.time()) - 3600) == 403
    assert (
        client.post(
            "/dang-ky/bao-cao-gui/partner/", data=body, content_type="application/json"
        ).status_code
        == 403
    )
    d.refresh_from_db()
    assert d.status == "sent"


HOSTILE = [
    b"",
    b"{",
    b"\xff\xfe",
    b"null",
    b"[]",
    b"[1]",
    b'{"event_name": null}',
    b'{"msgid": ["x"], "dlr": {"code": "1"}}',
    b'{"msgid": "x", "dlr": {"code": "999"}}',
    b'{"msgid": "x", "dlr": "1"}',
    b'{"message_id": "x", "status": {"$ne": 1}}',
    b"[" * 20_000 + b"]" * 20_000,
    b'{"a": "' + b"x" * 70_000 + b'"}',
    json.dumps([{"msgid": "x", "dlr": {"code": "1"}}] * 1001).encode(),
    json.dumps({"event_name": "user_seen_message", "message": {"msg_ids": ["a"] * 1001}}).encode(),
]


@pytest.mark.parametrize("provider", ["gw", "oa"])
@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_bodies_are_400_and_change_nothing(
    client: Client, provider: str, body: bytes
) -> None:
    d = _sent(provider, "x")
    assert _post_token(client, provider, body) == 400
    d.refresh_from_db()
    assert d.status == "sent"


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_signed_bodies_are_400(client: Client, body: bytes) -> None:
    expected = 403 if len(body) > 64 * 1024 else 400
    assert _post_signed(client, body) == expected
