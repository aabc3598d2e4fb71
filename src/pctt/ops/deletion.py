"""A resident's deletion request, end to end (the portal form at /xoa-du-lieu/).

1. The resident gives a phone number or e-mail address. A request is recorded; when pctt holds
   data for that address, a 6-digit code goes out over that channel, made and checked like the
   consent codes (``pctt.dispatch.tokens``; only its hash is stored). The page answers the same
   whether or not data exists, so it cannot be used to learn who is subscribed.
2. The resident types the code. Then every piece of personal data tied to the address is
   erased in one transaction: the subscriber's addresses and location (the subscriber row stays
   so that the consent records stay, withdrawn, with no address), pending and past deliveries'
   link to the subscriber, and the contact left on submissions. The audit entry holds counts
   and the channel, never the address.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.dispatch import tokens
from pctt.ops.models import DeletionRequest

logger = logging.getLogger("pctt.ops.deletion")

CODE_TTL = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5


@dataclass
class Erasure:
    subscribers: int = 0
    consents_withdrawn: int = 0
    deliveries: int = 0
    submissions: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _salt(request: DeletionRequest) -> str:
    assert request.code_expires_at is not None
    return f"erase:{request.code_expires_at.isoformat()}"


def _subscribers(channel: str, address: str) -> Any:
    from pctt.dispatch.models import Subscriber

    if channel == DeletionRequest.Channel.SMS:
        return Subscriber.objects.filter(phone=address)
    return Subscriber.objects.filter(email__iexact=address)


def _submissions(address: str) -> Any:
    from pctt.community.models import Submission

    return Submission.objects.filter(contact__iexact=address)


def holds_data(channel: str, address: str) -> bool:
    return _subscribers(channel, address).exists() or _submissions(address).exists()


def request_deletion(channel: str, address: str) -> DeletionRequest:
    """Record the request; send a code when data is held for the (normalised) address."""
    now = timezone.now()
    with transaction.atomic():
        request = DeletionRequest.objects.create(
            channel=channel, address=address, code_expires_at=now + CODE_TTL
        )
        if holds_data(channel, address):
            code = tokens.opt_in_code(request.pk, _salt(request))
            request.code_hash = tokens.hash_code(request.pk, code)
            request.save(update_fields=["code_hash"])
            from pctt.ops.tasks import send_deletion_code

            pk = request.pk
            transaction.on_commit(lambda: send_deletion_code.enqueue(pk))
        log_action("ops.deletion.request", user=None, instance=request, data={"channel": channel})
    return request


def deletion_message(code: str) -> str:
    return _(
        "PCTT: your code to erase your data is %(code)s (valid 30 minutes)."
        " Ignore this message if you did not ask."
    ) % {"code": code}


def deliver_deletion_code(request_id: int) -> bool:
    """Send the code through the channel's first working provider (as consent codes go)."""
    from pctt.dispatch.channels.base import Message, ProviderError
    from pctt.dispatch.channels.registry import registry_from_db
    from pctt.dispatch.models.outbox import CONSENT_CHANNELS

    request = DeletionRequest.objects.get(pk=request_id)
    if not request.code_hash or not request.address or request.completed_at is not None:
        return False
    if request.code_expires_at is None or request.code_expires_at <= timezone.now():
        return False
    channel = CONSENT_CHANNELS[request.channel]
    message = Message(
        delivery_id=0,
        idempotency_key=f"pctt-erase-{request.pk}",
        channel=channel,
        to=request.address,
        text=deletion_message(tokens.opt_in_code(request.pk, _salt(request))),
        subject=_("Erasing your data from the ward's warning system"),
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
    logger.warning("deletion request %s: no provider could send the code", request.pk)
    return False


def erase_personal_data(channel: str, address: str) -> Erasure:
    """Erase everything tied to *address*; call inside a transaction."""
    from pctt.dispatch.models import Consent, Delivery
    from pctt.ops.retention import anonymise_deliveries

    now = timezone.now()
    result = Erasure()
    ids = list(_subscribers(channel, address).values_list("pk", flat=True))
    if ids:
        consents = Consent.objects.filter(subscriber_id__in=ids)
        result.consents_withdrawn = consents.filter(withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawal_method=Consent.WithdrawalMethod.PORTAL
        )
        consents.update(code_hash="", code_expires_at=None)
        deliveries = Delivery.objects.filter(
            recipient_kind=Delivery.Kind.SUBSCRIBER, recipient_id__in=ids
        )
        deliveries.filter(status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.FAILED, last_error="recipient's data erased on request"
        )
        result.deliveries = anonymise_deliveries(deliveries)
        from pctt.dispatch.models import Subscriber

        result.subscribers = Subscriber.objects.filter(pk__in=ids).update(
            phone="", email="", app_id="", lon=None, lat=None, residential_group=None
        )
    result.submissions = _submissions(address).update(
        contact="", answer_channel="", contact_consent_at=None, contact_erase_after=None
    )
    # Other requests for the same address no longer need it.
    DeletionRequest.objects.filter(Q(address__iexact=address)).update(address="", code_hash="")
    return result


def confirm_deletion(request: DeletionRequest, code: str) -> Erasure | None:
    """Check the code (5 tries, 30 minutes); on success erase and return what was erased."""
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        if (
            request.completed_at is not None
            or not request.code_hash
            or not request.address
            or request.code_expires_at is None
            or request.code_expires_at <= timezone.now()
            or request.code_attempts >= MAX_CODE_ATTEMPTS
        ):
            return None
        request.code_attempts += 1
        ok = hmac.compare_digest(request.code_hash, tokens.hash_code(request.pk, code.strip()))
        if not ok:
            request.save(update_fields=["code_attempts"])
            return None
        result = erase_personal_data(request.channel, request.address)
        DeletionRequest.objects.filter(pk=request.pk).update(
            address="",
            code_hash="",
            completed_at=timezone.now(),
            code_attempts=request.code_attempts,
        )
        log_action(
            "ops.deletion.erase",
            user=None,
            instance=request,
            data={"channel": request.channel, **result.as_dict()},
        )
    return result
