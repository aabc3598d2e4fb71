from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.Model):
    """A disaster risk level (1-5, Decision 18/2021 Art. 4) for one hazard and area, as the
    official bulletin gives it or as an operator entered it with its source."""

    class Origin(models.TextChoices):
        BULLETIN = "bulletin", _("official bulletin (CAP)")
        OPERATOR = "operator", _("entered by an operator from a bulletin")

    hazard = models.CharField(_("hazard"), max_length=20)
    area = models.ForeignKey(
        "areas.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    bulletin_level = models.PositiveSmallIntegerField(_("level in the bulletin"))
    raised_by = models.PositiveSmallIntegerField(_("raised for compound hazards by"), default=0)
    raise_reason = models.TextField(_("why it was raised"), blank=True)
    level = models.PositiveSmallIntegerField(_("risk level"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    source = models.CharField(_("source (bulletin, number, time)"), max_length=300)
    upstream = models.ForeignKey(
        "alerts.UpstreamAlert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk level")
        verbose_name_plural = _("risk levels")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5)
                & models.Q(bulletin_level__gte=1, bulletin_level__lte=5)
                & models.Q(raised_by__lte=2),
                name="hazards_risk_level_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard} {self.level} ({self.area_id})"
