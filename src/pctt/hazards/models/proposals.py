from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Proposal(models.Model):
    """A level change turned into a prefilled warning draft for operators to act on.

    At most one proposal is open per station and alarm level: repeated crossings of the same
    threshold while it is open only update its figures (`repeats`).
    """

    class Kind(models.TextChoices):
        ALARM = "alarm", _("alarm level crossed")
        RISK = "risk", _("risk level set or raised")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("taken up")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    station = models.ForeignKey(
        "hazards.Station", null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    risk_level = models.ForeignKey(
        "hazards.RiskLevel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    previous_level = models.PositiveSmallIntegerField(_("previous level"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    observed_at = models.DateTimeField(_("time"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    alert = models.ForeignKey(
        "alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repeats = models.PositiveIntegerField(_("repeated crossings"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "level"],
                condition=models.Q(state="open", kind="alarm"),
                name="hazards_one_open_proposal_per_station_level",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def rising(self) -> bool:
        return self.previous_level is None or self.level > self.previous_level
