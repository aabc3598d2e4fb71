"""Gateway callbacks: delivery reports and inbound SMS; hostile bodies are 400, never 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pctt.dispatch.models import Broadcast, Delivery
from tests.dispatch import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.dispatch.urls")]
TOKEN = "test-webhook-token"
URL = "/dang-ky/bao-cao-gui/gw/"


@pytest.fixture(autouse=True)
def gateway_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCTT_TEST_WEBHOOK_TOKEN", TOKEN)
    f.provider(
        name="gw",
        kind="sms_http",
        options={"url": "http://127.0.0.1:9/", "webhook_token_env": "PCTT_TEST_WEBHOOK_TOKEN"},
    )


def _sent(pmid: str = "m-1") -> Delivery:
    b = Broadcast.objects.create(reference=f"alert:{pmid}", status="actual", priority="normal")
    return Delivery.objects.create(
        broadcast=b,
        recipient_kind=1,
        recipient_id=1,
        channel=1,
        status="sent",
        provider="gw",
        provider_message_id=pmid,
    )


def _post(client: Client, body: object, token: str = TOKEN, url: str = URL) -> int:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    response = client.post(
        url, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return response.status_code


def test_delivered_report_marks_the_delivery_delivered(client: Client) -> None:
    d = _sent()
    assert _post(client, {"message_id": "m-1", "status": "DELIVRD"}) == 200
    d.refresh_from_db()
    assert d.status == "delivered" and d.delivered_at is not None


def test_failed_report_records_the_vendor_code_without_the_number(client: Client) -> None:
    d = _sent()
    body = [{"message_id": "m-1", "status": "UNDELIV", "error": "0912345678 switched off"}]
    assert _post(client, body) == 200
    d.refresh_from_db()
    assert d.status == "failed" and "UNDELIV" in d.last_error and "345678" not in d.last_error


def test_wrong_or_missing_token_is_refused(client: Client) -> None:
    d = _sent()
    assert _post(client, {"message_id": "m-1", "status": "DELIVRD"}, token="nope") == 403
    assert client.post(URL, data={}, content_type="application/json").status_code == 403
    assert _post(client, {}, url="/dang-ky/bao-cao-gui/unknown/") == 404
    d.refresh_from_db()
    assert d.status == "sent"


def test_get_is_not_allowed(client: Client) -> None:
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"\xff\xfe\x00",
        b"[]",
        b'"text"',
        b"[1, 2]",
        b'{"message_id": {"a": 1}, "status": "DELIVRD"}',
        b"[" * 50_000 + b"]" * 50_000,
        json.dumps([{"message_id": "x", "status": "DELIVRD"}] * 1001).encode(),
        b'{"message_id": "x", "status": "' + b"A" * 70_000 + b'"}',
        b'{"message_id": "x\\u0000", "status": "DELIVRD"}',
    ],
)
def test_malformed_and_hostile_bodies_are_400(client: Client, body: bytes) -> None:
    assert _post(client, body) == 400


def test_malformed_multipart_is_400(client: Client) -> None:
    response = client.generic(
        "POST",
        URL,
        b"--x\r\ngarbage",
        content_type="multipart/form-data; boundary=x",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 400


def test_inbound_stop_by_webhook_withdraws_consent(client: Client) -> None:
    sub = f.subscriber(phone="+84912000009")
    response = client.post(
        "/dang-ky/sms-den/gw/",
        data={"from": "84912000009", "text": "STOP"},
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 200 and response.json()["reply"]
    assert not sub.consents.get().is_active
