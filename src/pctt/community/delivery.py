"""Sending an answer back on the channel the resident chose, through the dispatch adapters.

One message to one address, so no outbox row: the provider registry of dispatch picks the
first working provider of the channel (stubs in development and drills), exactly as the
opt-in codes of dispatch are sent. Safe to run twice: a sent answer is not sent again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.community.actions import CONTACT_AFTER_ANSWER
from pctt.community.models import AnswerChannel, Submission

logger = logging.getLogger("pctt.community.delivery")


def _channel(answer_channel: str) -> int | None:
    from pctt.dispatch.models.outbox import CONSENT_CHANNELS

    return CONSENT_CHANNELS.get(answer_channel)


def answer_text(submission: Submission) -> str:
    from pctt.areas.models import WardSetting

    return _("%(ward)s answers your message %(reference)s: %(answer)s") % {
        "ward": WardSetting.load().title or "PCTT",
        "reference": submission.reference,
        "answer": submission.answer,
    }


def send_answer(submission_id: int) -> bool:
    from pctt.dispatch.channels.base import Message, ProviderError
    from pctt.dispatch.channels.registry import registry_from_db

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or submission.answer_sent_at or not submission.answer:
        return False
    if not submission.contact or submission.answer_channel == AnswerChannel.NONE:
        return False
    channel = _channel(submission.answer_channel)
    if channel is None:
        return False
    assert submission.answered_at is not None
    message = Message(
        delivery_id=0,
        idempotency_key=f"pctt-answer-{submission.pk}-{int(submission.answered_at.timestamp())}",
        channel=channel,
        to=submission.contact,
        text=answer_text(submission),
        subject=_("Answer to your message %(reference)s") % {"reference": submission.reference},
    )
    registry = registry_from_db()
    error = _("no provider is configured for this channel")
    try:
        for provider in registry.candidates(channel):
            try:
                provider.send(message)
            except ProviderError as exc:
                error = exc.reason
                continue
            now = timezone.now()
            with transaction.atomic():
                Submission.objects.filter(pk=submission.pk).update(
                    answer_sent_at=now,
                    answer_error="",
                    contact_erase_after=now + CONTACT_AFTER_ANSWER,
                )
            return True
    finally:
        registry.close()
    logger.warning("answer %s not sent: %s", submission.reference, error)
    Submission.objects.filter(pk=submission.pk).update(answer_error=error[:300])
    return False
