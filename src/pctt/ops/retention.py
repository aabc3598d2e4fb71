"""Retention of personal data: what is kept how long (settings PCTT_RETENTION_*_DAYS).

- residents' contacts on submissions: erased *contact* days after the submission arrived (and
  at each submission's own erase-by date, set by the community app);
- submissions: anonymised after *submission* days (photo deleted, map point and internal note
  cleared; the text, theme, residential group and answer stay for the ward's statistics);
- deliveries: after *delivery* days a delivery loses the link to its subscriber and the gateway's
  message id; its broadcast, channel, status and times stay, so counts are kept;
- audit entries: details cleared after *audit_detail* days (who, when and what stay);
- deletion requests: the address of an unconfirmed request is cleared when its code expires.

A period of 0 keeps that data. `run_retention` is idempotent; `pctt retention` and the task
`apply_retention` run it (daily: see deploy/systemd/pctt-retention.timer).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from pctt.accounts.audit import log_action
from pctt.core import phone as phones
from pctt.dispatch.models import Delivery

logger = logging.getLogger("pctt.ops.retention")


@dataclass
class RetentionResult:
    contacts_erased: int = 0
    submissions_anonymised: int = 0
    deliveries_unlinked: int = 0
    audit_details_cleared: int = 0
    deletion_requests_cleared: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


def _cutoff(now: datetime, kind: str) -> datetime | None:
    days = int(settings.PCTT_RETENTION_DAYS.get(kind, 0) or 0)
    return now - timedelta(days=days) if days > 0 else None


def erase_submission_contacts(cutoff: datetime | None, now: datetime) -> int:
    from pctt.community.models import Submission

    due = Q(contact_erase_after__lte=now)
    if cutoff is not None:
        due |= Q(received_at__lte=cutoff)
    return (
        Submission.objects.exclude(contact="")
        .filter(due)
        .update(contact="", answer_channel="", contact_consent_at=None, contact_erase_after=None)
    )


def anonymise_submissions(cutoff: datetime) -> int:
    from pctt.community.models import Submission

    rows = Submission.objects.filter(received_at__lte=cutoff).filter(
        ~Q(photo="") | Q(lon__isnull=False) | Q(lat__isnull=False) | ~Q(note="")
    )
    count = 0
    for submission in rows.only("pk", "photo"):
        if submission.photo:
            submission.photo.delete(save=False)
        count += 1
    rows.update(photo="", lon=None, lat=None, note="")
    return count


def unlink_deliveries(cutoff: datetime) -> int:
    rows = Delivery.objects.filter(
        recipient_kind=Delivery.Kind.SUBSCRIBER,
        recipient_id__gt=0,
        broadcast__created_at__lte=cutoff,
    ).exclude(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    return anonymise_deliveries(rows)


def anonymise_deliveries(rows: QuerySet[Delivery]) -> int:
    """Replace the subscriber by ``-id`` (unique, so the delivery-once key still holds) and
    clear what a gateway might have echoed back about the recipient."""
    for pk, error in rows.exclude(last_error="").values_list("pk", "last_error"):
        masked = phones.mask_in_text(error)
        if masked != error:
            Delivery.objects.filter(pk=pk).update(last_error=masked[:500])
    return int(rows.update(recipient_id=-F("id"), provider_message_id=""))


def clear_audit_details(cutoff: datetime) -> int:
    from pctt.accounts.models import AuditEntry

    # A bulk UPDATE: the model's save() refuses changes on purpose; retention is the one
    # sanctioned change, and it only removes details.
    return AuditEntry.objects.filter(at__lte=cutoff).exclude(data={}).update(data={})


def clear_deletion_requests(now: datetime) -> int:
    from pctt.ops.models import DeletionRequest

    return (
        DeletionRequest.objects.exclude(address="")
        .filter(Q(code_expires_at__lte=now) | Q(code_expires_at__isnull=True))
        .update(address="", code_hash="")
    )


def run_retention(now: datetime | None = None) -> RetentionResult:
    now = now or timezone.now()
    result = RetentionResult()
    with transaction.atomic():
        result.contacts_erased = erase_submission_contacts(_cutoff(now, "contact"), now)
        if (cutoff := _cutoff(now, "submission")) is not None:
            result.submissions_anonymised = anonymise_submissions(cutoff)
        if (cutoff := _cutoff(now, "delivery")) is not None:
            result.deliveries_unlinked = unlink_deliveries(cutoff)
        if (cutoff := _cutoff(now, "audit_detail")) is not None:
            result.audit_details_cleared = clear_audit_details(cutoff)
        result.deletion_requests_cleared = clear_deletion_requests(now)
        if result.total:
            log_action("ops.retention", user=None, data=result.as_dict())
    logger.info("retention: %s", result.as_dict())
    return result
