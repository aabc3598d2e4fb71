from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctt.hazards.core.levels import Thresholds
from pctt.hazards.core.readings import Limits


class Station(models.Model):
    """A gauge. Alarm thresholds are official data with a source: see ThresholdSet."""

    class Kind(models.TextChoices):
        WATER_LEVEL = "water_level", _("water-level gauge")
        RAIN = "rain", _("rain gauge")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    river = models.CharField(_("river"), max_length=100, blank=True)
    province = models.CharField(_("province (as named in the source)"), max_length=100, blank=True)
    # Official stations are shipped without coordinates rather than with guessed ones.
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
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

    # Area of influence: the residential groups a warning about this gauge goes to.
    influence_areas = models.ManyToManyField(
        "areas.AdminUnit",
        verbose_name=_("residential groups affected"),
        blank=True,
        related_name="influencing_stations",
    )
    # Region class (khu vực 1-4) of Decision 18/2021 Art. 45, from its annex; unknown by default.
    region_class = models.PositiveSmallIntegerField(
        _("region class (khu vực) for risk levels"), null=True, blank=True
    )
    region_class_source = models.CharField(
        _("source of the region class"), max_length=300, blank=True
    )

    # Plausibility checks, set per station by its administrator.
    min_value = models.FloatField(_("lowest plausible value"), null=True, blank=True)
    max_value = models.FloatField(_("highest plausible value"), null=True, blank=True)
    max_jump_per_hour = models.FloatField(
        _("largest plausible change per hour"), null=True, blank=True
    )
    max_age_days = models.PositiveSmallIntegerField(_("oldest reading accepted (days)"), default=30)
    hysteresis = models.FloatField(
        _("hysteresis (how far below a threshold the level drops)"), default=0.05
    )

    api_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    # Derived from the latest observation; kept here so lists and maps need no aggregate.
    alarm_level = models.PositiveSmallIntegerField(_("alarm level"), default=0)
    last_value = models.FloatField(_("latest value"), null=True, blank=True)
    last_observed_at = models.DateTimeField(_("latest observation"), null=True, blank=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region_class__isnull=True)
                | models.Q(region_class__gte=1, region_class__lte=4),
                name="hazards_station_region_class_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def threshold_set(self) -> ThresholdSet | None:
        """The thresholds in force: the latest set that has taken effect."""
        return (
            self.threshold_sets.filter(valid_from__lte=timezone.now())
            .order_by("-valid_from", "-pk")
            .first()
        )

    def limits(self) -> Limits:
        return Limits(
            unit=self.unit,
            min_value=self.min_value,
            max_value=self.max_value,
            max_jump_per_hour=self.max_jump_per_hour,
            max_age=timedelta(days=self.max_age_days),
        )


class ThresholdSet(models.Model):
    """BĐ1/BĐ2/BĐ3 of one station as a dated, sourced record; a change adds a new row."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="threshold_sets", verbose_name=_("station")
    )
    bd1 = models.FloatField(_("alarm level I (BĐ1)"))
    bd2 = models.FloatField(_("alarm level II (BĐ2)"))
    bd3 = models.FloatField(_("alarm level III (BĐ3)"))
    source_document = models.CharField(_("source document"), max_length=200)
    source_article = models.CharField(_("article or annex"), max_length=200, blank=True)
    source_note = models.TextField(_("note on the source"), blank=True)
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)
    valid_from = models.DateTimeField(_("in force from"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alarm thresholds")
        verbose_name_plural = _("alarm thresholds")
        ordering = ["station", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bd1__lt=models.F("bd2")) & models.Q(bd2__lt=models.F("bd3")),
                name="hazards_thresholds_rise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station.code}: {self.bd1}/{self.bd2}/{self.bd3}"

    def thresholds(self) -> Thresholds:
        return Thresholds(self.bd1, self.bd2, self.bd3)

    @property
    def citation(self) -> str:
        return ", ".join(p for p in (self.source_document, self.source_article) if p)
