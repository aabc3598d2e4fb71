from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """One of the ward's organisations that the plan assigns duties to (section IV)."""

    class Kind(models.TextChoices):
        PARTY_BUILDING_BOARD = "party_building_board", _("Party Building Board")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
        YOUTH_UNION = "youth_union", _("Youth Union")
        WOMENS_UNION = "womens_union", _("Women's Union")
        FARMERS_ASSOCIATION = "farmers_association", _("Farmers' Association")
        VETERANS_ASSOCIATION = "veterans_association", _("Veterans' Association")
        PARTY_CELL = "party_cell", _("Party cell")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    ward = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("commune / ward"),
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"level": "commune"},
    )
    area = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("residential group (for a Party cell)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["ward", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="unique_organisation_name")
        ]

    def __str__(self) -> str:
        return self.name
