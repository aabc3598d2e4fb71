"""Risk levels as official bulletins give them, and the proposals they cause.

We never compute a level where the rules are not confirmed: the rule tables in
`core.risk_rules` cover only what the domain brief confirms, and everything else is a level
an operator copies from the official bulletin, with its source.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.alerts import actions as alert_actions
from pctt.alerts.models import Hazard, UpstreamAlert, WarningTemplate
from pctt.areas.models import AdminUnit
from pctt.hazards.core.risk_rules import raised_for_compound
from pctt.hazards.models import Proposal, RiskLevel

#: Hazard → key of the warning template used to draft the proposal (`{level}` is the risk
#: level: floods have one template per level, as their gauges have one per alarm level).
#: A hazard without a template gets a proposal with no draft: the operator writes one.
TEMPLATES = {
    "flood": "lu-rui-ro-{level}",
    "storm": "bao-atnd",
    "flash_flood": "lu-quet",
    "landslide": "sat-lo-dat",
    "heavy_rain": "mua-lon",
}

#: The hazards a risk level may be entered for (Decision 18/2021 sets levels per hazard).
HAZARDS = [
    (value, label)
    for value, label in Hazard.choices
    if value not in (Hazard.EVACUATION, Hazard.ALL_CLEAR)
]


def template_for(hazard: str, level: int) -> WarningTemplate | None:
    key = TEMPLATES.get(hazard, "").format(level=level)
    return WarningTemplate.objects.filter(key=key, is_active=True).first() if key else None


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
    if hazard not in dict(HAZARDS):
        raise ValidationError(
            _("Unknown hazard: choose one from the list, as the bulletin names it.")
        )
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

    with translation.override("vi"):
        hazard_name = str(dict(HAZARDS).get(entry.hazard, entry.hazard))
    summary = (
        f"Cấp độ rủi ro thiên tai {entry.level} ({hazard_name}, {entry.area.name}): {entry.source}"
    )
    template = template_for(entry.hazard, entry.level)
    alert = None
    if template is not None:
        groups = list(entry.area.children.values_list("pk", flat=True)) or [entry.area.pk]
        alert = alert_actions.create_draft(
            user=None,
            template=template,
            values={
                "risk_level": str(entry.level),
                "areas": entry.area.name,
                "source": entry.source,
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
