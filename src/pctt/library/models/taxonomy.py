"""The plan's vocabularies that every library page carries, and the editable synonym sets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A content theme of the plan, C1–C7 (seed/README.md, section II)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("content theme")
        verbose_name_plural = _("content themes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class HazardType(models.Model):
    """Codes follow `pctt.alerts.models.Hazard` where they overlap, so peak mode can match."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("hazard type")
        verbose_name_plural = _("hazard types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SynonymSet(models.Model):
    """Phrases residents use for the same thing, e.g. "lũ ống, lũ quét": search treats them
    alike."""

    phrases = models.CharField(
        _("phrases"),
        max_length=500,
        help_text=_("Two or more phrases separated by commas, e.g. “lũ ống, lũ quét”."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")
        ordering = ["phrases"]

    def __str__(self) -> str:
        return self.phrases
