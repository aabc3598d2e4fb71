"""Retention periods and the resident's deletion request, end to end on the portal."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.community.models import Submission
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Broadcast, Consent, Delivery, Subscriber
from pctt.dispatch.models.outbox import Channel
from pctt.ops.models import DeletionRequest
from pctt.ops.retention import run_retention
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db
PHONE = "+84912345678"
EMAIL = "lan@example.vn"


@pytest.fixture
def outbox(tmp_path: Path) -> Callable[[], list[dict[str, Any]]]:
    """Every channel goes to the file stub: the codes sent can be read back."""
    path = tmp_path / "outbox.jsonl"
    for channel in (Channel.SMS, Channel.EMAIL):
        f.provider(name=f"file-{channel}", channel=channel, options={"path": str(path)})

    def read() -> list[dict[str, Any]]:
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    return read


def _submission(contact: str = PHONE, days_ago: int = 0, **fields: Any) -> Submission:
    received = timezone.now() - timedelta(days=days_ago)
    return Submission.objects.create(
        kind="question",
        source="portal",
        text="Khi nào nước rút?",
        due_at=received + timedelta(days=3),
        received_at=received,
        answer_channel="sms" if contact else "",
        contact=contact,
        contact_consent_at=received if contact else None,
        **fields,
    )


def _broadcast_with_deliveries(group: Any, days_ago: int) -> Broadcast:
    broadcast = Broadcast.objects.create(
        reference=f"b-{days_ago}-{Broadcast.objects.count()}",
        status="actual",
        priority="normal",
        area_ids=[group.pk],
        content=f.SMS_CONTENT,
    )
    Broadcast.objects.filter(pk=broadcast.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    fan_out(broadcast.pk)
    Delivery.objects.filter(broadcast=broadcast).update(
        status=Delivery.Status.SENT, provider="sms1", provider_message_id="gw-123"
    )
    return broadcast


# -- retention ---------------------------------------------------------------------------------


def test_retention_erases_old_contacts_and_anonymises_old_submissions(settings: Any) -> None:
    settings.PCTT_RETENTION_DAYS = {
        "contact": 30,
        "submission": 365,
        "delivery": 0,
        "audit_detail": 0,
    }
    old = _submission(days_ago=400, lon=105.0, lat=21.0, note="gọi cho chị Lan")
    old.photo.save("anh.jpg", ContentFile(b"\xff\xd8 photo"))
    photo_path = Path(old.photo.path)
    month = _submission(contact=EMAIL, days_ago=40)
    month.answer_channel = "email"
    month.save()
    fresh = _submission(days_ago=2)

    result = run_retention()

    old.refresh_from_db()
    month.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.contact, old.photo.name, old.lon, old.lat, old.note) == ("", "", None, None, "")
    assert old.text == "Khi nào nước rút?"  # the ward's statistics keep what was said
    assert not photo_path.exists()
    assert month.contact == "" and month.contact_consent_at is None
    assert fresh.contact == PHONE
    assert result.contacts_erased == 2 and result.submissions_anonymised == 1
    entry = AuditEntry.objects.get(action="ops.retention")
    assert entry.data["contacts_erased"] == 2
    assert run_retention().total == 0  # idempotent


def test_retention_unlinks_old_deliveries_but_keeps_their_counts(settings: Any) -> None:
    settings.PCTT_RETENTION_DAYS = {
        "contact": 0,
        "submission": 0,
        "delivery": 180,
        "audit_detail": 0,
    }
    _ward, g1, _g2 = f.ward()
    subs = [f.subscriber(group=g1, phone=f"+8491234560{i}") for i in range(3)]
    old = _broadcast_with_deliveries(g1, days_ago=200)
    recent = _broadcast_with_deliveries(g1, days_ago=10)
    Delivery.objects.filter(broadcast=old, recipient_id=subs[0].pk).update(
        status=Delivery.Status.FAILED, last_error="sms1: number 0912345600 unreachable"
    )

    assert run_retention().deliveries_unlinked == 3

    old_rows = list(Delivery.objects.filter(broadcast=old))
    assert len(old_rows) == 3  # counts kept
    assert sorted(d.status for d in old_rows) == ["failed", "sent", "sent"]
    assert all(d.recipient_id < 0 and d.provider_message_id == "" for d in old_rows)
    assert not any("0912345600" in d.last_error for d in old_rows)
    assert {d.recipient_id for d in Delivery.objects.filter(broadcast=recent)} == {
        s.pk for s in subs
    }


def test_retention_clears_old_audit_details_only_when_configured(settings: Any) -> None:
    from pctt.accounts.audit import log_action

    entry = log_action("test.something", user=None, data={"subscribers": [1, 2]})
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=800))
    settings.PCTT_RETENTION_DAYS = {"contact": 0, "submission": 0, "delivery": 0, "audit_detail": 0}
    run_retention()
    assert AuditEntry.objects.get(pk=entry.pk).data == {"subscribers": [1, 2]}
    settings.PCTT_RETENTION_DAYS = {**settings.PCTT_RETENTION_DAYS, "audit_detail": 730}
    assert run_retention().audit_details_cleared == 1
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.data == {} and kept.action == "test.something"


def test_retention_command_prints_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("retention")
    out = capsys.readouterr().out
    assert "contacts_erased: 0" in out and "deliveries_unlinked: 0" in out


# -- deletion request --------------------------------------------------------------------------


def _code(outbox: Callable[[], list[dict[str, Any]]]) -> str:
    messages = [m for m in outbox() if "erase" in m["key"]]
    assert messages, outbox()
    return re.search(r"\b(\d{6})\b", messages[-1]["text"]).group(1)  # type: ignore[union-attr]


def _request(client: Client, channel: str, address: str) -> str:
    from django.test import TestCase

    # The code is sent after commit (a task); the test's transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/xoa-du-lieu/", {"channel": channel, "address": address})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_a_resident_erases_all_their_data_with_the_code_sent_by_sms(
    outbox: Callable[[], list[dict[str, Any]]],
) -> None:
    _ward, g1, _g2 = f.ward()
    sub = f.subscriber(
        group=g1, phone=PHONE, email=EMAIL, lon=105.001, lat=21.001, channels=("sms", "email")
    )
    other = f.subscriber(group=g1, phone="+84987654321")
    _broadcast_with_deliveries(g1, days_ago=1)
    queued = Broadcast.objects.create(
        reference="queued",
        status="actual",
        priority="normal",
        area_ids=[g1.pk],
        content=f.SMS_CONTENT,
    )
    fan_out(queued.pk)
    submission = _submission(contact=PHONE)

    client = Client()
    page = client.get("/xoa-du-lieu/")
    form = page.content.decode().split('<form method="post"')[1].split("</form>")[0]
    assert page.status_code == 200 and "<script" not in form and " on" not in form  # no JS
    confirm_url = _request(client, "sms", "0912 345 678")
    sent = [m for m in outbox() if "erase" in m["key"]]
    assert len(sent) == 1 and sent[0]["to"] == PHONE and sent[0]["channel"] == Channel.SMS

    wrong = client.post(confirm_url, {"code": "000000" if _code(outbox) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert Subscriber.objects.get(pk=sub.pk).phone == PHONE  # nothing erased yet

    done = client.post(confirm_url, {"code": _code(outbox)})
    assert done.status_code == 200 and 'role="status"' in done.content.decode()

    sub.refresh_from_db()
    assert (sub.phone, sub.email, sub.lon, sub.lat, sub.residential_group_id) == (
        "",
        "",
        None,
        None,
        None,
    )
    consents = list(Consent.objects.filter(subscriber=sub))
    assert len(consents) == 2  # the records stay, withdrawn, with no address anywhere
    assert all(c.withdrawn_at and c.withdrawal_method == "portal" for c in consents)
    assert not Delivery.objects.filter(recipient_kind=1, recipient_id=sub.pk).exists()
    assert Delivery.objects.filter(recipient_id=other.pk).count() == 2  # others untouched
    assert not Delivery.objects.filter(
        broadcast=queued, status="queued", recipient_id__lt=0
    ).exists()
    submission.refresh_from_db()
    assert submission.contact == "" and submission.text
    request = DeletionRequest.objects.get()
    assert request.address == "" and request.completed_at is not None

    entry = AuditEntry.objects.get(action="ops.deletion.erase")
    assert entry.data["subscribers"] == 1 and entry.data["submissions"] == 1
    everything = json.dumps(list(AuditEntry.objects.values()), default=str)
    assert "912345678" not in everything and EMAIL not in everything


def test_an_unknown_address_gets_the_same_answer_and_no_code(
    outbox: Callable[[], list[dict[str, Any]]],
) -> None:
    client = Client()
    confirm_url = _request(client, "email", "ai.do@example.vn")
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert outbox() == []
    assert client.post(confirm_url, {"code": "123456"}).status_code == 400


def test_the_code_stops_working_after_five_wrong_tries(
    outbox: Callable[[], list[dict[str, Any]]],
) -> None:
    f.subscriber(email=EMAIL, channels=("email",))
    client = Client()
    confirm_url = _request(client, "email", EMAIL.upper())
    code = _code(outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert client.post(confirm_url, {"code": wrong}).status_code == 400
    assert client.post(confirm_url, {"code": code}).status_code == 400
    assert Subscriber.objects.get().email == EMAIL


@pytest.mark.parametrize(
    "data",
    [
        {"channel": "sms", "address": "12345"},
        {"channel": "email", "address": "not-an-address"},
        {"channel": "fax", "address": PHONE},
        {"channel": "sms", "address": "0" * 10_000},
        {},
    ],
)
def test_bad_form_input_is_shown_again_with_a_reason(data: dict[str, str]) -> None:
    response = Client().post("/xoa-du-lieu/", data)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not DeletionRequest.objects.exists()


@pytest.mark.parametrize("token", ["", "garbage", "x" * 5000])
def test_a_forged_or_expired_link_is_refused(token: str) -> None:
    assert Client().get("/xoa-du-lieu/xac-nhan/", {"t": token}).status_code == 400


def test_an_expired_request_loses_its_address_at_retention(
    outbox: Callable[[], list[dict[str, Any]]],
) -> None:
    f.subscriber(phone=PHONE)
    _request(Client(), "sms", PHONE)
    DeletionRequest.objects.update(code_expires_at=timezone.now() - timedelta(minutes=1))
    assert run_retention().deletion_requests_cleared == 1
    assert DeletionRequest.objects.get().address == ""
