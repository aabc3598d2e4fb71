"""Consent: double opt-in by a code over the same channel, withdrawal by STOP or a link.

The opt-in code is derived from the secret key, the consent id and its expiry time, so the
task that sends it receives only the consent id; the database keeps only a hash of the code.
"""

from __future__ import annotations

import hmac
import logging
import re
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.core import phone as phones
from pctt.core.text import fold
from pctt.dispatch import tokens
from pctt.dispatch.models import Consent, Subscriber

logger = logging.getLogger("pctt.dispatch.consent")

CODE_TTL = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
#: Replies that withdraw SMS consent (folded: case and diacritics ignored).
STOP_WORDS = frozenset({"stop", "huy", "huy dk", "huy dang ky", "tu choi", "dung", "unsubscribe"})
_CODE_REPLY = re.compile(r"^(?:xn|xac nhan|ok)?\s*(\d{6})$")
# Channels on which the opt-in code goes out through the channel itself.
_CODE_CHANNELS = (Consent.Channel.SMS, Consent.Channel.EMAIL)

User = AbstractBaseUser | AnonymousUser | None


def _salt(consent: Consent) -> str:
    assert consent.code_expires_at is not None
    return consent.code_expires_at.isoformat()


def request_consent(
    subscriber: Subscriber, channel: str, *, method: str, user: User = None
) -> Consent:
    """Record consent given now; for self-service methods send a confirmation code."""
    now = timezone.now()
    with transaction.atomic():
        consent = Consent.objects.create(
            subscriber=subscriber, channel=channel, method=method, given_at=now
        )
        if method in Consent.IN_PERSON_METHODS:
            consent.confirmed_at = now
            consent.save(update_fields=["confirmed_at"])
        elif channel in _CODE_CHANNELS:
            consent.code_expires_at = now + CODE_TTL
            code = tokens.opt_in_code(consent.pk, _salt(consent))
            consent.code_hash = tokens.hash_code(consent.pk, code)
            consent.save(update_fields=["code_expires_at", "code_hash"])
            from pctt.dispatch.tasks import send_opt_in_code

            pk = consent.pk
            transaction.on_commit(lambda: send_opt_in_code.enqueue(pk))
        log_action(
            "dispatch.consent.give",
            user=user,
            instance=consent,
            data={"channel": channel, "method": method},
        )
    return consent


def opt_in_message(code: str) -> str:
    return _("PCTT: your code to confirm disaster warnings is %(code)s (valid 30 minutes).") % {
        "code": code
    }


def deliver_opt_in_code(consent_id: int) -> bool:
    """Send the code over the consent's own channel through its first working provider."""
    from pctt.dispatch.channels.base import Message, ProviderError
    from pctt.dispatch.channels.registry import registry_from_db
    from pctt.dispatch.models.outbox import CONSENT_CHANNELS

    consent = Consent.objects.select_related("subscriber").get(pk=consent_id)
    if consent.confirmed_at or not consent.code_hash or consent.code_expires_at is None:
        return False
    if consent.code_expires_at <= timezone.now():
        return False
    code = tokens.opt_in_code(consent.pk, _salt(consent))
    channel = CONSENT_CHANNELS[consent.channel]
    text = opt_in_message(code)
    message = Message(
        delivery_id=0,
        idempotency_key=f"pctt-optin-{consent.pk}-{_salt(consent)}",
        channel=channel,
        to=consent.subscriber.address(consent.channel),
        text=text,
        subject=_("Confirm your subscription to disaster warnings"),
    )
    registry = registry_from_db()
    try:
        for provider in registry.candidates(channel):
            try:
                provider.send(message)
            except ProviderError:
                continue
            return True
    finally:
        registry.close()
    logger.warning("consent %s: no provider could send the opt-in code", consent.pk)
    return False


def confirm_consent(consent: Consent, code: str, *, user: User = None) -> bool:
    """Check a code; at most MAX_CODE_ATTEMPTS tries, only before it expires."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.confirmed_at is not None:
            return True
        if (
            not consent.code_hash
            or consent.code_expires_at is None
            or consent.code_expires_at <= timezone.now()
            or consent.code_attempts >= MAX_CODE_ATTEMPTS
        ):
            return False
        consent.code_attempts += 1
        ok = hmac.compare_digest(consent.code_hash, tokens.hash_code(consent.pk, code.strip()))
        if ok:
            consent.confirmed_at = timezone.now()
            consent.code_hash = ""
        consent.save(update_fields=["code_attempts", "confirmed_at", "code_hash"])
        if ok:
            log_action("dispatch.consent.confirm", user=user, instance=consent)
    return ok


def withdraw_consent(
    subscriber_ids: list[int], channel: str, *, method: str, user: User = None
) -> int:
    """Withdraw the active consents of these subscribers on one channel; keeps the records."""
    with transaction.atomic():
        count = Consent.objects.filter(
            subscriber_id__in=subscriber_ids, channel=channel, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawal_method=method)
        if count:
            log_action(
                "dispatch.consent.withdraw",
                user=user,
                data={"subscribers": subscriber_ids, "channel": channel, "method": method},
            )
    return count


def handle_inbound_sms(sender: str, text: str) -> str | None:
    """What the SMS gateway webhook calls for each incoming SMS; returns the reply, if any.

    ``STOP`` (or ``HUY``, ``TU CHOI``… in any case, with or without diacritics) withdraws SMS
    consent for the sender's number; a six-digit code confirms a pending SMS consent.
    """
    try:
        number = phones.normalise(sender)
    except phones.PhoneError:
        return None
    words = " ".join(fold(text[:160]).split())
    ids = list(Subscriber.objects.filter(phone=number).values_list("pk", flat=True))
    if not ids:
        return None
    if words in STOP_WORDS:
        withdraw_consent(ids, Consent.Channel.SMS, method=Consent.WithdrawalMethod.SMS_STOP)
        return _("PCTT: you will no longer receive disaster warnings by SMS.")
    match = _CODE_REPLY.match(words)
    if match:
        pending = (
            Consent.objects.filter(
                subscriber_id__in=ids,
                channel=Consent.Channel.SMS,
                confirmed_at__isnull=True,
                withdrawn_at__isnull=True,
            )
            .exclude(code_hash="")
            .order_by("-given_at")
            .first()
        )
        if pending is not None and confirm_consent(pending, match.group(1)):
            return _("PCTT: confirmed. Reply STOP at any time to stop warnings.")
        return _("PCTT: this code is wrong or has expired.")
    return None


def unsubscribe_by_token(token: str) -> bool:
    found = tokens.read_unsubscribe_token(token)
    if found is None:
        return False
    subscriber_id, channel = found
    if channel not in Consent.Channel.values:
        return False
    withdraw_consent([subscriber_id], channel, method=Consent.WithdrawalMethod.EMAIL_LINK)
    return True


def subscribe(
    *,
    channel: str,
    address: str,
    residential_group_id: int | None,
    receives_drills: bool,
    language: str = "vi",
) -> Consent:
    """A resident subscribes on the portal: the subscriber (found by address or created)
    and an unconfirmed consent whose code goes out over the same channel.

    `address` is already validated and normalised (E.164 phone or e-mail).
    """
    field = "phone" if channel == Consent.Channel.SMS else "email"
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(**{field: address}).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                **{field: address},
                residential_group_id=residential_group_id,
                receives_drills=receives_drills,
                language=language,
            )
        else:
            if residential_group_id is not None:
                subscriber.residential_group_id = residential_group_id
            subscriber.receives_drills = receives_drills
            subscriber.save(update_fields=["residential_group", "receives_drills"])
        return request_consent(subscriber, channel, method=Consent.Method.WEB_FORM)
