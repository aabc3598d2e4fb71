"""Turning a level change into a prefilled warning draft that a person must submit and
another approve. The system never sends anything to residents itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pctt.accounts.audit import log_action
from pctt.alerts import actions as alert_actions
from pctt.alerts.models import Alert, WarningTemplate
from pctt.hazards.core.levels import ROMAN, bulletin_phrase
from pctt.hazards.models import Proposal, Station, ThresholdSet

STILL_OPEN = (Alert.State.DRAFT, Alert.State.SUBMITTED)


def _metres(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _local_time(at: datetime) -> str:
    return f"{timezone.localtime(at):%H:%M ngày %d/%m/%Y}"


def template_key(level: int) -> str:
    return f"lu-bao-dong-{level}" if level else "het-nguy-hiem"


def affected_groups(station: Station) -> list[tuple[int, str]]:
    return list(station.influence_areas.order_by("code").values_list("pk", "name"))


def _open_proposal(station: Station, level: int) -> Proposal | None:
    """The open proposal for this station and level, closing it first if its draft was
    already issued, rejected or deleted (then it is no longer waiting for anyone)."""
    proposal = Proposal.objects.filter(
        kind=Proposal.Kind.ALARM, station=station, level=level, state=Proposal.State.OPEN
    ).first()
    if proposal is None:
        return None
    if proposal.alert is not None and proposal.alert.state in STILL_OPEN:
        return proposal
    proposal.state, proposal.closed_at = Proposal.State.DONE, timezone.now()
    proposal.save(update_fields=["state", "closed_at"])
    return None


def _draft(
    station: Station, *, previous: int, level: int, value: float, at: datetime, summary: str
) -> Alert | None:
    template = WarningTemplate.objects.filter(key=template_key(level), is_active=True).first()
    if template is None:
        return None
    groups = affected_groups(station)
    values = {
        "station": station.name,
        "water_level": _metres(value),
        "time": _local_time(at),
        "areas": ", ".join(name for _pk, name in groups),
        "hazard_name": "lũ trên sông",
        # {shelter} is left for the operator: only they know which shelter is open.
    }
    fields: dict[str, Any] = {"note": summary}
    if 0 < level < previous:
        fields["headline_vi"] = (
            f"Lũ tại {station.name} đang xuống, còn ở mức báo động {ROMAN[level]}"
        )
        fields["headline_en"] = (
            f"Flood at {station.name} falling, still at alarm level {ROMAN[level]}"
        )
    return alert_actions.create_draft(
        user=None,
        template=template,
        values=values,
        area_ids=[pk for pk, _name in groups],
        **fields,
    )


@transaction.atomic
def propose_for_alarm(
    station: Station,
    threshold_set: ThresholdSet,
    *,
    previous: int,
    level: int,
    value: float,
    at: datetime,
) -> Proposal:
    summary = (
        f"{station.name}: {_metres(value)} m lúc {_local_time(at)}, "
        f"{bulletin_phrase(value, threshold_set.thresholds())} ({threshold_set.citation})"
    )
    proposal = _open_proposal(station, level)
    if proposal is not None:
        # The same threshold again while operators are still on it: update, don't re-alert.
        proposal.repeats += 1
        proposal.value, proposal.observed_at, proposal.summary = value, at, summary[:300]
        proposal.save(update_fields=["repeats", "value", "observed_at", "summary"])
        return proposal
    alert = _draft(station, previous=previous, level=level, value=value, at=at, summary=summary)
    proposal = Proposal.objects.create(
        kind=Proposal.Kind.ALARM,
        station=station,
        level=level,
        previous_level=previous,
        value=value,
        observed_at=at,
        summary=summary[:300],
        alert=alert,
    )
    log_action(
        "pctt.hazards.propose",
        user=None,
        instance=proposal,
        data={"station": station.code, "from": previous, "to": level, "value": value},
    )
    notify_after_commit(proposal)
    return proposal


def notify_after_commit(proposal: Proposal) -> None:
    from pctt.hazards.tasks import notify_operators

    transaction.on_commit(lambda: notify_operators.enqueue(proposal.pk))
