"""How a warning shows on the public portal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from pctt.alerts import rendering
from pctt.alerts.models import Alert
from pctt.alerts.models.choices import RISK_LEVELS


@dataclass(frozen=True)
class PortalCard:
    alert: Alert
    headline: str
    description: str
    instruction: str
    drill_label: str
    risk_level: int | None
    risk_colour: str
    areas: list[str]


def portal_card(alert: Alert) -> PortalCard:
    english = get_language() == "en" and bool(alert.headline_en)
    return PortalCard(
        alert=alert,
        headline=rendering.headline(alert, english=english),
        description=(alert.description_en if english else "") or alert.description_vi,
        instruction=(alert.instruction_en if english else "") or alert.instruction_vi,
        drill_label=rendering.label_en(alert) if english else rendering.label_vi(alert),
        risk_level=alert.risk_level,
        risk_colour=RISK_LEVELS[alert.risk_level][0] if alert.risk_level else "#b71c1c",
        areas=[
            *alert.areas.values_list("name", flat=True),
            *alert.zones.values_list("name", flat=True),
        ],
    )


def active_for_portal() -> list[PortalCard]:
    """Active warnings, actual ones first, the most severe risk level first."""
    alerts = Alert.objects.active().prefetch_related("areas", "zones").order_by("-sent")
    cards = [portal_card(a) for a in alerts]
    return sorted(cards, key=lambda c: (c.alert.is_drill, -(c.risk_level or 0)))
