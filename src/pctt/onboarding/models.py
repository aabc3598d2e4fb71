"""The set-up wizard's own state: which steps were skipped, what was reviewed, channel tests.

Whether a step is *done* is read from the data the owning apps hold (groups, zones,
organisations…), so the wizard and the dashboard never disagree with the database.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Onboarding(models.Model):
    """One row per installation (an installation serves one ward: areas.WardSetting)."""

    ward = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("ward being set up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skipped = models.JSONField(_("skipped steps"), default=list, blank=True)
    templates_reviewed_at = models.DateTimeField(_("templates reviewed"), null=True, blank=True)
    templates_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("templates reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("first-run set-up")
        verbose_name_plural = _("first-run set-up")
        permissions = [("run_onboarding", _("Can run the first-run set-up"))]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> Onboarding | None:
        return cls.objects.order_by("pk").first()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.skipped = sorted(set(self.skipped))
        super().save(*args, **kwargs)


class ChannelTest(models.Model):
    """The outcome of one "send a test" of a channel provider. Never holds the address."""

    provider = models.ForeignKey(
        "dispatch.ChannelProvider",
        verbose_name=_("channel provider"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ok = models.BooleanField(_("succeeded"))
    detail = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("channel test")
        verbose_name_plural = _("channel tests")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} {'ok' if self.ok else 'failed'}"
