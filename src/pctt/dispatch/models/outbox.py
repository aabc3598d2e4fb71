"""Broadcasts (one per warning version) and their deliveries: the outbox.

A delivery's idempotency key is four integer columns under one unique index (DESIGN.md: integer
keys insert twice as fast as a hashed string). The transition ``queued → sending`` is the claim:
a worker owns a delivery once its ``claim`` token is written in that transition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.IntegerChoices):
    SMS = 1, _("SMS")
    EMAIL = 2, _("e-mail")
    APP = 3, _("messaging app")
    LOUDSPEAKER = 4, _("loudspeaker")
    WEBHOOK = 5, _("webhook")


#: The key of each channel in a broadcast's ``content`` (rendered once by the caller).
CONTENT_KEYS: dict[int, str] = {
    Channel.SMS: "sms",
    Channel.EMAIL: "email",
    Channel.APP: "app",
    Channel.LOUDSPEAKER: "mqtt",
    Channel.WEBHOOK: "webhook",
}
#: Consent channel (Consent.Channel value) → delivery channel.
CONSENT_CHANNELS: dict[str, int] = {"sms": Channel.SMS, "email": Channel.EMAIL, "app": Channel.APP}


class Broadcast(models.Model):
    class Status(models.TextChoices):
        ACTUAL = "actual", _("actual")
        EXERCISE = "exercise", _("exercise")
        TEST = "test", _("test")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("normal")
        PRIORITY = "priority", _("high priority")
        EMERGENCY = "emergency", _("emergency")

    class FanOut(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")

    reference = models.CharField(_("reference"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    area_ids = models.JSONField(_("areas"), default=list)
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    content = models.JSONField(_("content"), default=dict)
    sms_variant = models.CharField(_("SMS text"), max_length=16, default="vi")
    fan_out = models.CharField(
        _("fan-out"), max_length=10, choices=FanOut.choices, default=FanOut.PENDING
    )
    recipients = models.PositiveIntegerField(_("deliveries created"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_drill(self) -> bool:
        return self.status != self.Status.ACTUAL


class Delivery(models.Model):
    class Kind(models.IntegerChoices):
        SUBSCRIBER = 1, _("subscriber")
        LOUDSPEAKER = 2, _("loudspeaker cluster")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    recipient_kind = models.PositiveSmallIntegerField(_("recipient kind"), choices=Kind.choices)
    recipient_id = models.BigIntegerField(_("recipient"))
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claim = models.BigIntegerField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider = models.CharField(_("provider"), max_length=50, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "recipient_kind", "recipient_id", "channel"],
                name="dispatch_delivery_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="dispatch_delivery_due"),
            models.Index(fields=["provider", "provider_message_id"], name="dispatch_delivery_pmid"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def idempotency_key(self) -> str:
        """Passed to providers that de-duplicate; the same for every attempt of this delivery."""
        return f"pctt-{self.broadcast_id}-{self.recipient_kind}-{self.recipient_id}-{self.channel}"
