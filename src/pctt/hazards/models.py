from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Station(models.Model):
    """A gauge. Alarm thresholds are official data with a source (hazard-monitoring issue)."""

    class Kind(models.TextChoices):
        WATER_LEVEL = "water_level", _("water-level gauge")
        RAIN = "rain", _("rain gauge")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    river = models.CharField(_("river"), max_length=100, blank=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    datum = models.CharField(_("height datum"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="m")
    ward = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("commune / ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
