"""Status of a broadcast: counts per status, channel and residential group; who was not reached."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from pctt.dispatch.models import Broadcast, Delivery, Subscriber, mask_email, mask_phone

REACHED = (Delivery.Status.SENT, Delivery.Status.DELIVERED)


def broadcast_summary(broadcast: Broadcast) -> dict[str, Any]:
    """``totals``, ``by_channel`` and ``by_group`` (subscriber deliveries) status counts."""
    rows = Delivery.objects.filter(broadcast=broadcast)
    totals: dict[str, int] = {}
    by_channel: dict[int, dict[str, int]] = defaultdict(dict)
    for channel, status, n in rows.values_list("channel", "status").annotate(n=Count("id")):
        totals[status] = totals.get(status, 0) + n
        by_channel[channel][status] = n
    groups = dict(
        Subscriber.objects.filter(
            pk__in=rows.filter(recipient_kind=Delivery.Kind.SUBSCRIBER).values("recipient_id")
        ).values_list("pk", "residential_group_id")
    )
    by_group: dict[int | None, dict[str, int]] = defaultdict(dict)
    for recipient, status in rows.filter(recipient_kind=Delivery.Kind.SUBSCRIBER).values_list(
        "recipient_id", "status"
    ):
        counts = by_group[groups.get(recipient)]
        counts[status] = counts.get(status, 0) + 1
    return {"totals": totals, "by_channel": dict(by_channel), "by_group": dict(by_group)}


def unreached_queryset(broadcast: Broadcast) -> QuerySet[Subscriber]:
    """Subscribers targeted by the broadcast with no sent or delivered message on any channel."""
    targeted = Delivery.objects.filter(broadcast=broadcast, recipient_kind=Delivery.Kind.SUBSCRIBER)
    reached = targeted.filter(recipient_id=OuterRef("pk"), status__in=REACHED)
    return (
        Subscriber.objects.filter(pk__in=targeted.values("recipient_id"))
        .filter(~Exists(reached))
        .select_related("residential_group")
        .order_by("residential_group__code", "pk")
    )


def unreached_row(sub: Subscriber, *, reveal: bool = False) -> dict[str, Any]:
    """One line of the follow-up list; addresses masked unless *reveal* (administrators)."""
    phone, email = sub.phone or "", sub.email or ""
    return {
        "id": sub.pk,
        "group": sub.residential_group.name if sub.residential_group else "",
        "phone": phone if reveal else (mask_phone(phone) if phone else ""),
        "email": email if reveal else (mask_email(email) if email else ""),
    }


def unreached_subscribers(
    broadcast: Broadcast, *, reveal: bool = False
) -> Iterator[dict[str, Any]]:
    """Subscribers targeted by the broadcast with no sent or delivered message on any channel,
    addresses masked (for the follow-up list: a neighbour or the group leader calls them)."""
    for sub in unreached_queryset(broadcast).iterator(chunk_size=2000):
        yield unreached_row(sub, reveal=reveal)
