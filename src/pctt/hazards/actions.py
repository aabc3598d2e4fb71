"""Every change of state in hazard monitoring goes through here: back office, API, MQTT,
CSV import, CLI. Each function checks permission, writes the audit log, and queues work
after commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action, snapshot
from pctt.alerts.models import UpstreamAlert
from pctt.areas.models import AdminUnit
from pctt.hazards import ingest, risk
from pctt.hazards.core.levels import Thresholds
from pctt.hazards.models import Proposal, RiskLevel, Station, ThresholdSet

User = Any  # an authenticated user; Django's stubs type has_perm on User


def _require(user: User, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(permission)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def station_for_token(token: str) -> Station | None:
    if not token or len(token) > 200:
        return None
    return Station.objects.filter(api_token_hash=hash_token(token)).first()


@transaction.atomic
def issue_token(station: Station, *, user: User) -> str:
    """A new ingest token for one station; the old one stops working. Shown once."""
    _require(user, "hazards.change_station")
    token = secrets.token_urlsafe(32)
    station.api_token_hash = hash_token(token)
    station.save(update_fields=["api_token_hash"])
    log_action("pctt.hazards.token", user=user, instance=station, data={"station": station.code})
    return token


@transaction.atomic
def set_thresholds(
    station: Station,
    *,
    user: User,
    bd1: float,
    bd2: float,
    bd3: float,
    source_document: str,
    source_article: str = "",
    source_note: str = "",
    valid_from: datetime | None = None,
) -> ThresholdSet:
    """New alarm thresholds for a station, with the document they come from. Old sets stay."""
    _require(user, "hazards.add_thresholdset")
    if not source_document.strip():
        raise ValidationError(_("Say which document sets these thresholds."))
    try:
        Thresholds(bd1, bd2, bd3)
    except ValueError as exc:
        raise ValidationError(_("Alarm levels must rise: BĐ1 < BĐ2 < BĐ3.")) from exc
    previous = ThresholdSet.objects.filter(station=station).order_by("-valid_from").first()
    record = ThresholdSet.objects.create(
        station=station,
        bd1=bd1,
        bd2=bd2,
        bd3=bd3,
        source_document=source_document.strip(),
        source_article=source_article.strip(),
        source_note=source_note.strip(),
        valid_from=valid_from or timezone.now(),
        entered_by=user,
    )
    log_action(
        "pctt.hazards.thresholds",
        user=user,
        instance=station,
        data={"bd": [bd1, bd2, bd3], "source": record.citation, "set": record.pk},
        before=snapshot(previous, THRESHOLD_AUDIT) if previous is not None else None,
        after=snapshot(record, THRESHOLD_AUDIT),
    )
    return record


THRESHOLD_AUDIT = ("bd1", "bd2", "bd3", "source_document", "source_article", "valid_from")
REGION_AUDIT = ("region_class", "region_class_source")


@transaction.atomic
def set_region_class(
    station: Station, *, user: User, region_class: int | None, source: str
) -> Station:
    """The station's region class (khu vực 1-4) from the annex of Decision 18/2021, with the
    document it comes from; None clears it (the flood rule then answers "ask the bulletin")."""
    _require(user, "hazards.add_thresholdset")
    if region_class is not None and region_class not in (1, 2, 3, 4):
        raise ValidationError(
            _("Choose a region class from 1 to 4, as in the annex of Decision 18/2021.")
        )
    if region_class is not None and not source.strip():
        raise ValidationError(_("Say which document gives this region class."))
    before = station.region_class
    old = snapshot(station, REGION_AUDIT)
    station.region_class = region_class
    station.region_class_source = source.strip()[:300] if region_class is not None else ""
    station.save(update_fields=["region_class", "region_class_source"])
    log_action(
        "pctt.hazards.region_class",
        user=user,
        instance=station,
        data={"from": before, "to": region_class, "source": station.region_class_source},
        before=old,
        after=snapshot(station, REGION_AUDIT),
    )
    return station


@transaction.atomic
def change_station(station: Station, *, user: User, changed: list[str]) -> Station:
    """Saving station details edited in the back office (the form already validated them)."""
    _require(user, "hazards.change_station")
    station.save()
    data = {name: str(getattr(station, name)) for name in changed}
    log_action("pctt.hazards.station", user=user, instance=station, data=data)
    return station


def receive_readings(
    raws: list[Any], *, source: str, only_station: Station | None = None
) -> ingest.BatchResult:
    """Readings from a gauge. The sender was authenticated by its token or topic; a batch is
    not audited row by row: the observations and the quarantine are the record."""
    return ingest.ingest(raws, source=source, only_station=only_station)


@transaction.atomic
def record_risk_level(
    *,
    user: User,
    hazard: str,
    area: AdminUnit,
    bulletin_level: int,
    source: str,
    raised_by: int = 0,
    raise_reason: str = "",
    upstream: UpstreamAlert | None = None,
) -> RiskLevel:
    """A risk level from an official bulletin, optionally raised by a person for compound
    hazards (Decision 18/2021 Art. 4). A new or higher level creates a proposal."""
    _require(user, "hazards.add_risklevel")
    return risk.record(
        user=user,
        hazard=hazard,
        area=area,
        bulletin_level=bulletin_level,
        source=source,
        raised_by=raised_by,
        raise_reason=raise_reason,
        upstream=upstream,
    )


@transaction.atomic
def dismiss_proposal(proposal: Proposal, *, user: User, reason: str) -> Proposal:
    _require(user, "hazards.change_proposal")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.OPEN:
        raise ValidationError(_("This proposal is already closed."))
    proposal.state, proposal.closed_at = Proposal.State.DISMISSED, timezone.now()
    proposal.save(update_fields=["state", "closed_at"])
    log_action("pctt.hazards.dismiss", user=user, instance=proposal, data={"reason": reason})
    return proposal
