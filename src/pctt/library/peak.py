"""Peak mode (clause F4): while a warning is active, its hazard's guidance comes first."""

from __future__ import annotations

from pctt.alerts.models import Alert
from pctt.library.models import GuidancePage

# During a warning people need "what to do now" first, then getting ready, then recovery.
PHASE_ORDER = {
    GuidancePage.Phase.DURING: 0,
    GuidancePage.Phase.BEFORE: 1,
    GuidancePage.Phase.AFTER: 2,
}
# Alert hazards that carry no guidance of their own.
_NOT_A_HAZARD = {"evacuation", "all_clear", "other"}


def active_hazards() -> list[str]:
    codes = Alert.objects.active().values_list("hazard", flat=True).distinct()
    return sorted(set(codes) - _NOT_A_HAZARD)


def peak_guidance(limit: int = 6) -> list[GuidancePage]:
    """Live guidance for the hazards of active warnings, "during" first; empty when calm."""
    hazards = active_hazards()
    if not hazards:
        return []
    pages = list(GuidancePage.objects.live().public().filter(hazards__code__in=hazards).distinct())
    pages.sort(key=lambda p: (PHASE_ORDER.get(p.phase, 9), p.title))
    return pages[:limit]
