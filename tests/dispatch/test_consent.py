"""Consent: double opt-in over the same channel, STOP by SMS, the e-mail unsubscribe link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.dispatch import tokens
from pctt.dispatch.actions import (
    confirm_consent,
    handle_inbound_sms,
    request_consent,
    unsubscribe_by_token,
)
from pctt.dispatch.consent import MAX_CODE_ATTEMPTS
from pctt.dispatch.messages import unsubscribe_url
from pctt.dispatch.models import Consent
from pctt.dispatch.models.outbox import Channel
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db


def _code(consent: Consent) -> str:
    assert consent.code_expires_at is not None
    return tokens.opt_in_code(consent.pk, consent.code_expires_at.isoformat())


def test_web_form_consent_is_inactive_until_the_code_sent_by_sms_is_confirmed(
    django_capture_on_commit_callbacks: Any, outbox_file: Callable[[], list[dict[str, Any]]]
) -> None:
    f.provider(name="sms-file", options={"path": str(outbox_file.path)})  # type: ignore[attr-defined]
    sub = f.subscriber(phone="+84912000001", channels=())
    with django_capture_on_commit_callbacks(execute=True):
        consent = request_consent(sub, "sms", method=Consent.Method.WEB_FORM)
    assert not Consent.objects.active().filter(pk=consent.pk).exists()
    [sent] = outbox_file()
    code = _code(consent)
    assert sent["to"] == "+84912000001" and code in sent["text"]
    assert code not in consent.code_hash  # only a hash is stored
    assert not confirm_consent(consent, "000000" if code != "000000" else "111111")
    assert confirm_consent(consent, code)
    consent.refresh_from_db()
    assert consent.is_active and consent.code_hash == ""
    assert AuditEntry.objects.filter(action="dispatch.consent.confirm").exists()


def test_code_attempts_are_limited() -> None:
    sub = f.subscriber(phone="+84912000002", channels=())
    consent = request_consent(sub, "sms", method=Consent.Method.WEB_FORM)
    code = _code(consent)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_CODE_ATTEMPTS):
        assert not confirm_consent(consent, wrong)
    assert not confirm_consent(consent, code)  # right code, too late


def test_expired_code_is_refused() -> None:
    sub = f.subscriber(phone="+84912000003", channels=())
    consent = request_consent(sub, "sms", method=Consent.Method.WEB_FORM)
    code = _code(consent)
    Consent.objects.filter(pk=consent.pk).update(
        code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert not confirm_consent(consent, code)


def test_paper_form_consent_is_active_at_once() -> None:
    sub = f.subscriber(phone="+84912000004", channels=())
    consent = request_consent(sub, "sms", method=Consent.Method.PAPER_FORM)
    assert consent.is_active


@pytest.mark.parametrize("reply", ["STOP", "stop", "Huỷ", "HUY DK", "từ chối", "  Dừng "])
def test_stop_reply_withdraws_sms_consent_and_keeps_the_record(reply: str) -> None:
    sub = f.subscriber(phone="+84912000005", email="x@example.org", channels=("sms", "email"))
    answer = handle_inbound_sms("0912 000 005", reply)
    assert answer
    sms = sub.consents.get(channel="sms")
    assert sms.withdrawn_at is not None and sms.withdrawal_method == "sms_stop"
    assert sub.consents.get(channel="email").is_active


def test_sms_code_reply_confirms_pending_consent() -> None:
    sub = f.subscriber(phone="+84912000006", channels=())
    consent = request_consent(sub, "sms", method=Consent.Method.SMS_KEYWORD)
    assert handle_inbound_sms("+84912000006", f"XN {_code(consent)}")
    consent.refresh_from_db()
    assert consent.is_active


@pytest.mark.parametrize(
    ("sender", "text"),
    [("not a phone", "STOP"), ("+84912999999", "STOP"), ("+84912000007", "hello")],
)
def test_unknown_sender_or_other_text_changes_nothing(sender: str, text: str) -> None:
    sub = f.subscriber(phone="+84912000007")
    assert handle_inbound_sms(sender, text) is None
    assert sub.consents.get().is_active


def test_unsubscribe_token_withdraws_only_that_channel_and_rejects_tampering() -> None:
    sub = f.subscriber(email="a@example.org", phone="+84912000008", channels=("sms", "email"))
    token = tokens.make_unsubscribe_token(sub.pk, "email")
    assert not unsubscribe_by_token(token[:-2] + "xx")
    assert unsubscribe_by_token(token)
    assert not sub.consents.get(channel="email").is_active
    assert sub.consents.get(channel="sms").is_active


@pytest.mark.urls("tests.dispatch.urls")
def test_unsubscribe_link_get_asks_post_unsubscribes(client: Client) -> None:
    sub = f.subscriber(email="a@example.org", channels=("email",))
    url = unsubscribe_url(sub.pk, "email")
    path = url[url.index("/dang-ky/") :]
    page = client.get(path)
    assert page.status_code == 200 and sub.consents.get().is_active  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert not sub.consents.get().is_active
    assert client.get("/dang-ky/huy/garbage/").status_code == 400


def test_messages_carry_the_unsubscribe_link_for_e_mail() -> None:
    url = unsubscribe_url(5, "email")
    assert "/dang-ky/huy/" in url
    assert tokens.read_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1]) == (5, "email")


def test_channel_numbering_covers_every_consent_channel() -> None:
    from pctt.dispatch.models.outbox import CONSENT_CHANNELS

    assert set(CONSENT_CHANNELS) == set(Consent.Channel.values)
    assert set(CONSENT_CHANNELS.values()) <= set(Channel.values)
