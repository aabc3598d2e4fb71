"""Store upstream CAP alerts once, and apply Updates and Cancels to what they reference.

A message is identified by (sender, identifier, sent). An Update or Cancel changes the state of
the messages its `references` name, but only those of its own sender: a feed cannot cancel
another authority's warning. Messages may arrive in any order: a referenced alert that arrives
after its Update or Cancel is stored already `updated` or `cancelled`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import IntegrityError, transaction

from pctt.alerts.ingest.area import WardArea, alert_shape, simplified_geojson
from pctt.alerts.models import CapFeed, UpstreamAlert
from pctt.cap import Alert, Info
from pctt.cap.times import parse_cap_time

logger = logging.getLogger(__name__)

State = UpstreamAlert.State
Outcome = Literal["new", "duplicate"]
_EFFECT = {"Update": State.UPDATED, "Cancel": State.CANCELLED}
# A cancelled message stays cancelled, whatever arrives next.
_RANK = {State.ACTIVE: 0, State.UPDATED: 1, State.CANCELLED: 2}


@dataclass(frozen=True, slots=True)
class Reference:
    sender: str
    identifier: str
    sent: datetime


class TooLong(ValueError):
    """sender or identifier longer than the columns: the message cannot be stored faithfully."""


def parse_references(text: str | None) -> list[Reference]:
    """`sender,identifier,sent` triples; malformed ones are skipped."""
    found = []
    for triple in (text or "").split():
        parts = triple.split(",")
        sent = parse_cap_time(parts[2]) if len(parts) == 3 else None
        if sent is not None and parts[0] and parts[1]:
            found.append(Reference(parts[0], parts[1], sent))
    return found


def store_alert(feed: CapFeed, alert: Alert, xml: str, *, ward: WardArea | None) -> Outcome:
    """Save `alert` unless already known; apply it if it updates or cancels others."""
    if len(alert.sender) > _max_length("sender") or len(alert.identifier) > _max_length(
        "identifier"
    ):
        raise TooLong(f"{alert.sender[:40]}…, {alert.identifier[:40]}…")
    if _known(alert.sender, alert.identifier, alert.sent):
        return "duplicate"
    try:
        with transaction.atomic():
            stored = _create(feed, alert, xml, ward)
            _apply(stored, alert)
    except IntegrityError:  # a concurrent poll stored it first
        return "duplicate"
    logger.info("upstream alert stored: %s %s (%s)", alert.sender, alert.identifier, stored.state)
    return "new"


def _known(sender: str, identifier: str, sent: datetime) -> bool:
    return UpstreamAlert.objects.filter(sender=sender, identifier=identifier, sent=sent).exists()


def _create(feed: CapFeed, alert: Alert, xml: str, ward: WardArea | None) -> UpstreamAlert:
    info = _main_info(alert)
    shape = alert_shape(alert)
    return UpstreamAlert.objects.create(
        feed=feed,
        sender=alert.sender,
        identifier=alert.identifier,
        sent=alert.sent,
        msg_type=alert.msg_type,
        status=alert.status,
        references=alert.references or "",
        event=_cut(info.event if info else "", "event"),
        headline=_cut((info.headline or "") if info else "", "headline"),
        urgency=info.urgency if info else "",
        severity=info.severity if info else "",
        certainty=info.certainty if info else "",
        expires=_expires(alert),
        area_desc="; ".join(dict.fromkeys(a.area_desc for i in alert.infos for a in i.areas)),
        geometry=simplified_geojson(shape),
        intersects_ward=ward is not None and ward.concerns(alert),
        state=_state_from_later_messages(alert),
        xml=xml,
    )


def _apply(stored: UpstreamAlert, alert: Alert) -> None:
    effect = _EFFECT.get(alert.msg_type)
    if effect is None:
        return
    for reference in parse_references(alert.references):
        if reference.sender != alert.sender:
            logger.warning(
                "%s %s references another sender's message (%s); not applied",
                alert.sender,
                alert.identifier,
                reference.sender,
            )
            continue
        targets = UpstreamAlert.objects.filter(
            sender=reference.sender, identifier=reference.identifier, sent=reference.sent
        ).exclude(pk=stored.pk)
        for target in targets:
            if _RANK[effect] > _RANK[State(target.state)]:
                target.state = effect
                target.save(update_fields=["state"])


def _state_from_later_messages(alert: Alert) -> State:
    """Out of order: has an Update or Cancel for this message already been stored?"""
    state = State.ACTIVE
    later = UpstreamAlert.objects.filter(
        sender=alert.sender,
        msg_type__in=list(_EFFECT),
        references__contains=f"{alert.sender},{alert.identifier},",
    ).only("msg_type", "references")
    for message in later:
        mine = Reference(alert.sender, alert.identifier, alert.sent)
        if mine in parse_references(message.references):
            effect = _EFFECT[message.msg_type]
            state = effect if _RANK[effect] > _RANK[state] else state
    return state


def _main_info(alert: Alert) -> Info | None:
    """The Vietnamese info block when there is one, else the first."""
    for info in alert.infos:
        if (info.language or "").lower().startswith("vi"):
            return info
    return alert.infos[0] if alert.infos else None


def _expires(alert: Alert) -> datetime | None:
    """The latest expiry of the info blocks; none when any block never expires."""
    moments = [info.expires for info in alert.infos]
    if not moments or any(moment is None for moment in moments):
        return None
    return max(moment for moment in moments if moment is not None)


def _max_length(field: str) -> int:
    column = UpstreamAlert._meta.get_field(field)
    return int(getattr(column, "max_length", None) or 0)


def _cut(text: str, field: str) -> str:
    limit = _max_length(field)
    return text if len(text) <= limit else text[: limit - 1] + "…"
