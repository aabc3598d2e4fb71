from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    HTTP = "http", _("HTTP API")
    MQTT = "mqtt", _("MQTT")
    CSV = "csv", _("CSV import")


class Observation(models.Model):
    """One reading of a gauge (or a forecast value for it). Idempotent by station and time."""

    station = models.ForeignKey(
        "hazards.Station", on_delete=models.CASCADE, related_name="observations"
    )
    observed_at = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))
    is_forecast = models.BooleanField(_("forecast"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["station", "observed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "is_forecast", "observed_at"],
                name="hazards_one_reading_per_time",
            )
        ]

    def __str__(self) -> str:
        at = timezone.localtime(self.observed_at)
        return f"{self.station_id} {at:%d/%m/%Y %H:%M} {self.value}"


class QuarantinedReading(models.Model):
    """A reading we refused, with why; kept so that nothing sent to us is silently lost."""

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    station_code = models.CharField(_("station code"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=30)
    detail = models.CharField(_("detail"), max_length=300)
    raw = models.TextField(_("what was received"))

    class Meta:
        verbose_name = _("quarantined reading")
        verbose_name_plural = _("quarantined readings")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["-received_at"], name="hazards_quarantine_recent")]

    def __str__(self) -> str:
        return f"{self.station_code or '?'}: {self.reason}"
