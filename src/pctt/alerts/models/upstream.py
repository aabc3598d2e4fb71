"""Upstream CAP feeds (national or provincial) and the alerts they carried."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CapFeed(models.Model):
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address (Atom or RSS)"), max_length=500, unique=True)
    interval_minutes = models.PositiveSmallIntegerField(_("poll every (minutes)"), default=5)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_status = models.CharField(_("last result"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("upstream CAP feed")
        verbose_name_plural = _("upstream CAP feeds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UpstreamAlert(models.Model):
    """One CAP message received from a feed, stored once (sender + identifier + sent)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        UPDATED = "updated", _("replaced by an update")
        CANCELLED = "cancelled", _("cancelled")

    feed = models.ForeignKey(CapFeed, on_delete=models.CASCADE, related_name="alerts")
    sender = models.CharField(_("sender"), max_length=300)
    identifier = models.CharField(_("identifier"), max_length=300)
    sent = models.DateTimeField(_("sent"))
    msg_type = models.CharField(_("message type"), max_length=10)
    status = models.CharField(_("status"), max_length=10)
    references = models.TextField(_("references"), blank=True)
    event = models.CharField(_("event"), max_length=300, blank=True)
    headline = models.CharField(_("headline"), max_length=500, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    certainty = models.CharField(_("certainty"), max_length=10, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    area_desc = models.TextField(_("areas"), blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    intersects_ward = models.BooleanField(_("concerns our ward"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    xml = models.TextField(_("CAP message"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("upstream warning")
        verbose_name_plural = _("upstream warnings")
        ordering = ["-sent"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "identifier", "sent"], name="unique_upstream_message"
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.identifier
