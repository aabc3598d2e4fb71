"""An answer reaches the resident over the real SMTP server and the loopback SMS gateway."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pctt.community import actions
from pctt.community.models import Submission
from pctt.dispatch.models import ChannelProvider
from tests.dispatch.gateway import Gateway
from tests.dispatch.test_channel_email import Handler, _free_port

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    port = _free_port()
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _ask(channel: str, contact: str) -> Submission:
    return actions.receive(
        actions.Intake(
            kind="question",
            source="portal",
            text="Điểm sơ tán tổ 3 ở đâu?",
            answer_channel=channel,
            contact=contact,
            consent=True,
        )
    )


def test_an_answer_goes_out_by_email_over_smtp(
    ward: Any, triage: Any, smtp: tuple[Handler, int], django_capture_on_commit_callbacks: Any
) -> None:
    handler, port = smtp
    ChannelProvider.objects.create(
        name="smtp",
        channel=2,
        kind="smtp",
        options={"host": "127.0.0.1", "port": port, "from": "phuong@pctt.example.org"},
    )
    submission = _ask("email", "dan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(submission, "Nhà văn hoá tổ 3 <b>số 5</b>.", user=triage)
    [mail] = handler.received
    assert mail["To"] == "dan@example.org" and submission.reference in mail["Subject"]
    assert "Nhà văn hoá tổ 3 <b>số 5</b>." in mail.get_content()
    submission.refresh_from_db()
    assert submission.answer_sent_at is not None and submission.answer_error == ""
    assert (
        submission.contact_erase_after
        < submission.answer_sent_at + actions.CONTACT_AFTER_ANSWER + actions.CONTACT_AFTER_ANSWER
    )


def test_an_answer_goes_out_by_sms_through_the_loopback_gateway_once(
    ward: Any, triage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pctt.community.delivery import send_answer

    with Gateway() as gateway:
        ChannelProvider.objects.create(
            name="sms",
            channel=1,
            kind="sms_http",
            rate_per_second=0,
            options={"url": gateway.url, "sender": "PCTT"},
        )
        submission = _ask("sms", "0912 345 678")
        with django_capture_on_commit_callbacks(execute=True):
            actions.answer(submission, "Nhà văn hoá tổ 3.", user=triage)
        assert send_answer(submission.pk) is False  # already sent: not twice
    [request] = gateway.requests
    assert request["body"]["to"] == "+84912345678"
    assert (
        "Nhà văn hoá tổ 3." in request["body"]["text"]
        and submission.reference in request["body"]["text"]
    )


def test_a_failing_gateway_leaves_a_reason_without_the_number(
    ward: Any, triage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with Gateway() as gateway:
        gateway.script = [(400, '{"error": "bad number 0912345678"}', 0.0)]
        ChannelProvider.objects.create(
            name="sms", channel=1, kind="sms_http", rate_per_second=0, options={"url": gateway.url}
        )
        submission = _ask("sms", "0912345678")
        with django_capture_on_commit_callbacks(execute=True):
            actions.answer(submission, "Trả lời", user=triage)
    submission.refresh_from_db()
    assert submission.answer_sent_at is None and submission.answer_error
    assert "0912345678" not in submission.answer_error
