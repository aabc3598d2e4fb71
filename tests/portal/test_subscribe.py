"""Subscribing on the portal: consent recorded, a code over the same channel, then confirmed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from pctt.areas.models import AdminUnit
from pctt.dispatch.models import ChannelProvider, Consent, Subscriber

pytestmark = pytest.mark.django_db
AGREE = {"agree": "on"}


@pytest.fixture
def outbox_file(demo_ward: object, tmp_path: Path) -> Path:
    path = tmp_path / "sent.jsonl"
    for name, channel in (("sms-file", 1), ("email-file", 2)):
        ChannelProvider.objects.create(
            name=name, channel=channel, kind="file", options={"path": str(path)}
        )
    cache.clear()
    return path


def _sent_code(path: Path) -> str:
    last = json.loads(path.read_text().strip().splitlines()[-1])
    match = re.search(r"\b(\d{6})\b", last["text"])
    assert match is not None
    return match.group(1)


def test_a_resident_subscribes_by_sms_and_confirms_with_the_code(
    outbox_file: Path, django_capture_on_commit_callbacks: Any
) -> None:
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the code is sent after commit
        response = client.post(
            "/nhan-canh-bao/",
            {"channel": "sms", "address": "0912 345 678", "group": group.pk, **AGREE},
        )
    assert response.status_code == 302
    consent = Consent.objects.get(subscriber__phone="+84912345678")
    assert consent.method == "web_form" and consent.confirmed_at is None
    assert consent.subscriber.residential_group == group
    confirm_url = response["Location"]

    wrong = client.post(confirm_url, {"code": "000000"})
    assert "sai" in wrong.content.decode() or "wrong" in wrong.content.decode()
    done = client.post(confirm_url, {"code": _sent_code(outbox_file)})
    consent.refresh_from_db()
    assert consent.confirmed_at is not None and "Hoàn tất" in done.content.decode()


def test_nothing_is_recorded_without_agreement_or_with_a_bad_number(outbox_file: Path) -> None:
    client = Client()
    for data in (
        {"channel": "sms", "address": "0912345678"},
        {"channel": "sms", "address": "12345", **AGREE},
        {"channel": "email", "address": "not-an-address", **AGREE},
        {"channel": "fax", "address": "0912345678", **AGREE},
        {"channel": "sms", "address": "0" * 5000, **AGREE},
    ):
        response = client.post("/nhan-canh-bao/", data)
        assert response.status_code == 200
    assert not Subscriber.objects.filter(is_fictional=False).exists()


def test_the_form_is_rate_limited_per_connection(outbox_file: Path) -> None:
    client = Client()
    statuses = [
        client.post(
            "/nhan-canh-bao/", {"channel": "email", "address": f"a{i}@example.org", **AGREE}
        ).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [200, 200]


def test_a_forged_or_stale_confirmation_link_is_refused(outbox_file: Path) -> None:
    assert Client().get("/nhan-canh-bao/xac-nhan/?t=forged").status_code == 400


def test_the_phone_number_never_appears_in_the_page_or_the_audit(outbox_file: Path) -> None:
    from pctt.accounts.models import AuditEntry

    response = Client().post(
        "/nhan-canh-bao/", {"channel": "sms", "address": "0912345678", **AGREE}, follow=True
    )
    assert "0912345678" not in response.content.decode()
    assert "912345678" not in json.dumps(list(AuditEntry.objects.values("data")))
