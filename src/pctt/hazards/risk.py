"""Risk levels as official bulletins give them, and the proposals they cause.

We never compute a level where the rules are not confirmed: the rule tables in
`core.risk_rules` cover only what the domain brief confirms, and everything else is a level
an operator copies from the official bulletin, with its source.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.alerts import actions as alert_actions
from pctt.alerts.models import UpstreamAlert, WarningTemplate
from pctt.areas.models import AdminUnit
from pctt.hazards.core.risk_rules import raised_for_compound
from pctt.hazards.models import Proposal, RiskLevel

#: Hazard → warning template used to draft the proposal. River floods are proposed from
#: their gauges' alarm levels instead; a hazard without a template gets a proposal with no draft.
TEMPLATES = {
    "storm": "bao-atnd",
    "flash_flood": "lu-quet",
    "landslide": "sat-lo-dat",
    "heavy_rain": "mua-lon",
}


def current(hazard: str, area: AdminUnit) -> RiskLevel | None:
    return RiskLevel.objects.filter(hazard=hazard, area=area).order_by("-created_at", "-pk").first()


def record(
    *,
    user: Any,
    hazard: str,
    area: AdminUnit,
    bulletin_level: int,
    source: str,
    raised_by: int,
    raise_reason: str,
    upstream: UpstreamAlert | None,
) -> RiskLevel:
    if not 1 <= bulletin_level <= 5:
        raise ValidationError(_("A risk level is 1 to 5."))
    if not source.strip():
        raise ValidationError(_("Say which bulletin gives this level."))
    if raised_by not in (0, 1, 2):
        raise ValidationError(_("Compound hazards raise the level by 1 or 2 only."))
    if raised_by and not raise_reason.strip():
        raise ValidationError(_("Say why the level is raised for compound hazards."))
    before = current(hazard, area)
    entry = RiskLevel.objects.create(
        hazard=hazard,
        area=area,
        bulletin_level=bulletin_level,
        raised_by=raised_by,
        raise_reason=raise_reason.strip(),
        level=raised_for_compound(bulletin_level, raised_by),
        origin=RiskLevel.Origin.BULLETIN if upstream else RiskLevel.Origin.OPERATOR,
        source=source.strip()[:300],
        upstream=upstream,
        decided_by=user,
    )
    log_action(
        "pctt.hazards.risk_level",
        user=user,
        instance=entry,
        data={
            "hazard": hazard,
            "area": area.code,
            "bulletin_level": bulletin_level,
            "raised_by": raised_by,
            "reason": entry.raise_reason,
            "level": entry.level,
            "source": entry.source,
        },
    )
    if before is None or entry.level > before.level:
        _propose(entry, previous=before.level if before else None)
    return entry


def _propose(entry: RiskLevel, *, previous: int | None) -> Proposal:
    from pctt.hazards.proposals import notify_after_commit

    summary = (
        f"Cấp độ rủi ro thiên tai {entry.level} ({entry.hazard}, {entry.area.name}): {entry.source}"
    )
    template = WarningTemplate.objects.filter(
        key=TEMPLATES.get(entry.hazard, ""), is_active=True
    ).first()
    alert = None
    if template is not None:
        groups = list(entry.area.children.values_list("pk", flat=True)) or [entry.area.pk]
        alert = alert_actions.create_draft(
            user=None,
            template=template,
            values={
                "risk_level": str(entry.level),
                "areas": entry.area.name,
                # {time}, {storm}, {rain}…: the operator copies them from the bulletin.
            },
            area_ids=groups,
            risk_level=entry.level,
            note=summary,
        )
    proposal = Proposal.objects.create(
        kind=Proposal.Kind.RISK,
        risk_level=entry,
        level=entry.level,
        previous_level=previous,
        summary=summary[:300],
        alert=alert,
    )
    log_action("pctt.hazards.propose", user=None, instance=proposal, data={"risk": entry.pk})
    notify_after_commit(proposal)
    return proposal
