"""Activities the system records by itself: warnings sent, library pages published.

Connected in `PlansConfig.ready()`; the warning and library apps know nothing about plans.
Work runs after commit, so a rolled-back approval records nothing, and each source is recorded
once (`source_key`), so a replayed signal adds nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from pctt.plans import actions

log = logging.getLogger(__name__)

#: CAP status → kind of activity. Test messages are not communication with residents.
ALERT_KINDS = {"Actual": "warning", "Exercise": "drill"}


def alert_saved(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if instance.state != "issued" or instance.sent is None:
        return
    if instance.status not in ALERT_KINDS:
        return
    alert_id = instance.pk
    transaction.on_commit(lambda: record_alert(alert_id))


def record_alert(alert_id: int) -> None:
    from pctt.alerts import reach
    from pctt.alerts.models import Alert

    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None or alert.state != Alert.State.ISSUED or alert.sent is None:
        return
    try:
        estimate = reach.estimate(alert)
        population, group_ids = estimate.population, [g.pk for g in estimate.groups]
    except Exception:
        # A reach estimate must never stop the record of a sent warning.
        log.exception("reach estimate failed for alert %s", alert_id)
        population, group_ids = 0, list(alert.areas.values_list("pk", flat=True))
    actions.record_automatic_activity(
        actions.AutomaticActivity(
            source="warning",
            source_key=f"alert:{alert.pk}",
            kind=ALERT_KINDS[alert.status],
            held_on=timezone.localdate(alert.sent),
            organisation_kind="peoples_committee",
            description=f"{alert.get_msg_type_display()}: {alert.headline_vi}",
            participants=population,
            group_ids=group_ids,
            theme_codes=["C4"],
            form_code="F4",
        )
    )


def page_published(sender: type, instance: Any, **kwargs: Any) -> None:
    """A preparedness-library page published for the first time is a communication activity."""
    if instance._meta.app_label != "library":
        return
    page_id = instance.pk
    title = str(instance.title)
    day = timezone.localdate(instance.first_published_at or timezone.now())

    def record() -> None:
        activity = actions.record_automatic_activity(
            actions.AutomaticActivity(
                source="publication",
                source_key=f"page:{page_id}",
                kind="publication",
                held_on=day,
                organisation_kind="party_building_board",
                description=title,
                reach_is_estimate=False,
                form_code="F1",
            )
        )
        if activity is not None and not activity.materials.filter(pk=page_id).exists():
            activity.materials.add(page_id)

    transaction.on_commit(record)
