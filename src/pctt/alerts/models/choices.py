"""Vocabularies shared by templates and warnings (CAP 1.2 values, Vietnamese labels)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hazard(models.TextChoices):
    FLOOD = "flood", _("river flood")
    FLASH_FLOOD = "flash_flood", _("flash flood")
    LANDSLIDE = "landslide", _("landslide")
    STORM = "storm", _("storm / tropical depression")
    HEAVY_RAIN = "heavy_rain", _("heavy rain")
    HEAT = "heat", _("heat wave")
    COLD = "cold", _("severe cold")
    WHIRLWIND = "whirlwind", _("whirlwind, lightning, hail")
    EVACUATION = "evacuation", _("evacuation order")
    ALL_CLEAR = "all_clear", _("all clear")
    OTHER = "other", _("other")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("immediate")
    EXPECTED = "Expected", _("expected")
    FUTURE = "Future", _("future")
    PAST = "Past", _("past")
    UNKNOWN = "Unknown", _("unknown")


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("extreme")
    SEVERE = "Severe", _("severe")
    MODERATE = "Moderate", _("moderate")
    MINOR = "Minor", _("minor")
    UNKNOWN = "Unknown", _("unknown")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("observed")
    LIKELY = "Likely", _("likely")
    POSSIBLE = "Possible", _("possible")
    UNLIKELY = "Unlikely", _("unlikely")
    UNKNOWN = "Unknown", _("unknown")


class CapCategory(models.TextChoices):
    MET = "Met", _("meteorological")
    GEO = "Geo", _("geophysical")
    SAFETY = "Safety", _("public safety")
    RESCUE = "Rescue", _("rescue")
    ENV = "Env", _("environmental")
    INFRA = "Infra", _("infrastructure")
    OTHER = "Other", _("other")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("take shelter")
    EVACUATE = "Evacuate", _("evacuate")
    PREPARE = "Prepare", _("prepare")
    EXECUTE = "Execute", _("execute the plan")
    AVOID = "Avoid", _("avoid the area")
    MONITOR = "Monitor", _("monitor")
    ALL_CLEAR = "AllClear", _("all clear")
    NONE = "None", _("no action")


class LoudspeakerPriority(models.TextChoices):
    """Broadcast priority on the grassroots loudspeaker system (Circular 39/2020)."""

    NORMAL = "normal", _("normal")
    PRIORITY = "priority", _("priority")
    EMERGENCY = "emergency", _("emergency")


#: Risk levels of Decision 18/2021 art. 4; the exact colours are not in the retrieved text,
#: so these are display colours matching the named colours (light blue … purple).
RISK_LEVELS: dict[int, tuple[str, str]] = {
    1: ("#7fd3f7", "xanh dương nhạt"),
    2: ("#fff59d", "vàng nhạt"),
    3: ("#ff9800", "da cam"),
    4: ("#e53935", "đỏ"),
    5: ("#8e24aa", "tím"),
}
RISK_LEVEL_CHOICES = [(level, str(level)) for level in RISK_LEVELS]
