from __future__ import annotations

import string

from django.db import models
from django.utils.translation import gettext_lazy as _

from pctt.alerts.models.choices import (
    CapCategory,
    Certainty,
    Hazard,
    LoudspeakerPriority,
    ResponseType,
    Severity,
    Urgency,
)


class WarningTemplate(models.Model):
    """Wording for one hazard and level, with {placeholders} filled when drafting."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    level = models.CharField(_("level"), max_length=40, blank=True)
    category = models.CharField(
        _("CAP category"), max_length=10, choices=CapCategory.choices, default=CapCategory.MET
    )
    response_type = models.CharField(
        _("response"), max_length=10, choices=ResponseType.choices, default=ResponseType.PREPARE
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.EXPECTED
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=Certainty.choices, default=Certainty.LIKELY
    )
    loudspeaker_priority = models.CharField(
        _("loudspeaker priority"),
        max_length=10,
        choices=LoudspeakerPriority.choices,
        default=LoudspeakerPriority.PRIORITY,
    )
    event_vi = models.CharField(_("event (Vietnamese)"), max_length=200)
    event_en = models.CharField(_("event (English)"), max_length=200, blank=True)
    headline_vi = models.CharField(_("headline (Vietnamese)"), max_length=300)
    headline_en = models.CharField(_("headline (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    instruction_vi = models.TextField(_("what to do (Vietnamese)"))
    instruction_en = models.TextField(_("what to do (English)"), blank=True)
    sms_vi = models.TextField(_("SMS text (Vietnamese)"))
    loudspeaker_vi = models.TextField(_("loudspeaker script (Vietnamese)"))
    expires_hours = models.PositiveSmallIntegerField(_("valid for (hours)"), default=24)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("warning template")
        verbose_name_plural = _("warning templates")
        ordering = ["hazard", "key"]

    def __str__(self) -> str:
        return self.name

    TEXT_FIELDS = (
        "event_vi",
        "event_en",
        "headline_vi",
        "headline_en",
        "description_vi",
        "description_en",
        "instruction_vi",
        "instruction_en",
        "sms_vi",
        "loudspeaker_vi",
    )

    def placeholders(self) -> list[str]:
        """The {names} its texts use, in first-seen order."""
        seen: dict[str, None] = {}
        for field in self.TEXT_FIELDS:
            for _literal, name, _spec, _conv in string.Formatter().parse(getattr(self, field)):
                if name:
                    seen.setdefault(name, None)
        return list(seen)
