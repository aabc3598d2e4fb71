"""Delivery reports applied to deliveries, whichever way they arrived.

HTTP callbacks (views.delivery_report) and reports read on a provider's own connection (SMPP
``deliver_sm``, a modem's status reports, polled by the worker) end here. A report only moves a
delivery forward: ``delivered`` wins over everything (a late "failed" for a segment after the
handset confirmed is ignored), ``failed`` only replaces ``sent``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from pctt.dispatch.channels.base import Report
from pctt.dispatch.models import Delivery

S = Delivery.Status


def apply_reports(provider: str, reports: Iterable[Report]) -> int:
    """Record *reports* of *provider*; returns how many deliveries changed status."""
    updated = 0
    now = timezone.now()
    for report in reports:
        rows = Delivery.objects.filter(
            provider=provider, provider_message_id=report.provider_message_id
        )
        if report.status == "delivered":
            updated += rows.filter(status__in=[S.SENT, S.FAILED]).update(
                status=S.DELIVERED, delivered_at=now
            )
        elif report.status == "failed":
            updated += rows.filter(status=S.SENT).update(
                status=S.FAILED,
                last_error=f"{provider} report {report.code}: {report.error}"[:500],
            )
    return updated
