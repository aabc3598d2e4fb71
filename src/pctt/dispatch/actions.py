"""Every change of state in dispatch goes through here: broadcasts, withdrawals, consent.

Actions write the audit log inside their transaction and queue work after commit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from shapely.errors import ShapelyError
from shapely.geometry import shape

from pctt.accounts.audit import log_action
from pctt.dispatch.consent import (
    confirm_consent,
    handle_inbound_sms,
    request_consent,
    unsubscribe_by_token,
    withdraw_consent,
)
from pctt.dispatch.labels import label_content
from pctt.dispatch.models import Broadcast, Delivery

__all__ = [
    "confirm_consent",
    "create_broadcast",
    "handle_inbound_sms",
    "request_consent",
    "unsubscribe_by_token",
    "withdraw_broadcasts",
    "withdraw_consent",
]

User = AbstractBaseUser | AnonymousUser | None


def create_broadcast(
    *,
    reference: str,
    status: str,
    priority: str,
    area_ids: list[int],
    geometry: dict[str, Any] | None = None,
    content: dict[str, Any],
    user: User = None,
    sms_variant: str = "vi",
) -> Broadcast:
    """Record a broadcast and queue its fan-out after commit. Calling again with the same
    reference returns the existing broadcast and queues nothing."""
    if status not in Broadcast.Status.values:
        raise ValueError(f"unknown status {status!r}")
    if priority not in Broadcast.Priority.values:
        raise ValueError(f"unknown priority {priority!r}")
    if not isinstance(content, dict) or not content:
        raise ValueError("content must be a non-empty dict of channel → variants")
    if geometry is not None:
        try:
            if shape(geometry).is_empty:
                raise ValueError("geometry is empty")
        except (KeyError, TypeError, AttributeError, IndexError, ShapelyError) as exc:
            raise ValueError(f"invalid GeoJSON geometry: {exc}") from exc
    existing = Broadcast.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    from pctt.dispatch.tasks import fan_out_broadcast

    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            reference=reference,
            status=status,
            priority=priority,
            area_ids=[int(i) for i in area_ids],
            geometry=geometry,
            content=label_content(content, status),
            sms_variant=sms_variant,
            created_by=user if isinstance(user, get_user_model()) else None,
        )
        log_action(
            "dispatch.broadcast.create",
            user=user,
            instance=broadcast,
            data={"reference": reference, "status": status, "priority": priority},
        )
        pk = broadcast.pk
        transaction.on_commit(lambda: fan_out_broadcast.enqueue(pk))
    return broadcast


def withdraw_broadcasts(*, reference_prefix: str, user: User = None, keep: str = "") -> int:
    """Withdraw every broadcast of a warning ("alert:42" matches "alert:42" and "alert:42:v3"):
    deliveries still queued (or waiting for a retry) become withdrawn and are never sent. A
    fan-out still running stops. *keep* names a reference to spare (the cancel message itself).
    Returns the number of deliveries withdrawn."""
    if not reference_prefix:
        raise ValueError("reference_prefix must not be empty")
    now = timezone.now()
    with transaction.atomic():
        matching = Broadcast.objects.filter(
            Q(reference=reference_prefix) | Q(reference__startswith=reference_prefix + ":")
        ).exclude(reference=keep)
        ids = list(matching.select_for_update().values_list("pk", flat=True))
        Broadcast.objects.filter(pk__in=ids, withdrawn_at__isnull=True).update(withdrawn_at=now)
        count = Delivery.objects.filter(broadcast_id__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.WITHDRAWN, last_error="withdrawn", next_attempt_at=None
        )
        log_action(
            "dispatch.broadcast.withdraw",
            user=user,
            data={"reference_prefix": reference_prefix, "broadcasts": ids, "deliveries": count},
        )
    return count
