"""The ward's own warnings. Each row is one CAP message: an Alert, an Update or a Cancel.

Messages about the same event form a thread (`thread` points at the first message);
`references` points at the message an Update or Cancel replaces. A message goes
draft → submitted → issued (or rejected); what is active is derived, never stored:
the latest issued message of a thread, if it is not a Cancel and has not expired.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctt.alerts.models.choices import (
    RISK_LEVEL_CHOICES,
    CapCategory,
    Certainty,
    Hazard,
    LoudspeakerPriority,
    ResponseType,
    Severity,
    Urgency,
)


class AlertQuerySet(models.QuerySet["Alert"]):
    def issued(self) -> AlertQuerySet:
        return self.filter(state=Alert.State.ISSUED)

    def superseded(self) -> AlertQuerySet:
        later = Alert.objects.filter(state=Alert.State.ISSUED, references=OuterRef("pk"))
        return self.filter(Exists(later))

    def active(self, now: datetime | None = None) -> AlertQuerySet:
        """Issued, not replaced by a later Update or Cancel, not a Cancel, not expired."""
        now = now or timezone.now()
        later = Alert.objects.filter(state=Alert.State.ISSUED, references=OuterRef("pk"))
        return (
            self.issued()
            .exclude(msg_type=Alert.MsgType.CANCEL)
            .exclude(Exists(later))
            .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        )


class Alert(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("awaiting approval")
        ISSUED = "issued", _("issued")
        REJECTED = "rejected", _("rejected")

    class Status(models.TextChoices):
        ACTUAL = "Actual", _("actual")
        EXERCISE = "Exercise", _("exercise (drill)")
        TEST = "Test", _("test")

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("new warning")
        UPDATE = "Update", _("update")
        CANCEL = "Cancel", _("cancellation")

    identifier = models.CharField(_("identifier"), max_length=150, unique=True)
    sender = models.CharField(_("sender"), max_length=150)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTUAL
    )
    msg_type = models.CharField(
        _("message type"), max_length=10, choices=MsgType.choices, default=MsgType.ALERT
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="thread_messages"
    )
    references = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    template = models.ForeignKey(
        "alerts.WarningTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("template"),
    )
    upstream = models.ForeignKey(
        "alerts.UpstreamAlert",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relays",
        verbose_name=_("relays upstream warning"),
    )

    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    category = models.CharField(
        _("CAP category"), max_length=10, choices=CapCategory.choices, default=CapCategory.MET
    )
    response_type = models.CharField(
        _("response"), max_length=10, choices=ResponseType.choices, default=ResponseType.PREPARE
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    risk_level = models.PositiveSmallIntegerField(
        _("risk level (Decision 18/2021)"), null=True, blank=True, choices=RISK_LEVEL_CHOICES
    )
    loudspeaker_priority = models.CharField(
        _("loudspeaker priority"),
        max_length=10,
        choices=LoudspeakerPriority.choices,
        default=LoudspeakerPriority.PRIORITY,
    )

    event_vi = models.CharField(_("event (Vietnamese)"), max_length=200)
    event_en = models.CharField(_("event (English)"), max_length=200, blank=True)
    headline_vi = models.CharField(_("headline (Vietnamese)"), max_length=300)
    headline_en = models.CharField(_("headline (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    instruction_vi = models.TextField(_("what to do (Vietnamese)"))
    instruction_en = models.TextField(_("what to do (English)"), blank=True)
    sms_vi = models.TextField(_("SMS text (Vietnamese)"), blank=True)
    loudspeaker_vi = models.TextField(_("loudspeaker script (Vietnamese)"), blank=True)

    effective = models.DateTimeField(_("effective from"), null=True, blank=True)
    onset = models.DateTimeField(_("expected onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"))

    areas = models.ManyToManyField(
        "areas.AdminUnit", blank=True, related_name="alerts", verbose_name=_("residential groups")
    )
    zones = models.ManyToManyField(
        "areas.HazardZone", blank=True, related_name="alerts", verbose_name=_("hazard zones")
    )
    drawn_area = models.JSONField(
        _("area drawn on the map (GeoJSON polygon)"), null=True, blank=True
    )

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # None when the system proposed the draft (hazard monitoring); the person who submits it
    # then counts as its author for the two-person rule.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_alerts",
        verbose_name=_("drafted by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_alerts",
        verbose_name=_("submitted by"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_alerts",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved or rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    note = models.TextField(_("note (CAP)"), blank=True)
    cap_xml = models.TextField(_("CAP message as issued"), blank=True, editable=False)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_alert", _("Can approve and issue warnings")),
        ]

    def __str__(self) -> str:
        return self.headline_vi

    @property
    def root(self) -> Alert:
        return self.thread or self

    @property
    def is_drill(self) -> bool:
        return self.status != self.Status.ACTUAL

    @property
    def dispatch_reference(self) -> str:
        """How dispatch names this version; the prefix before `v` names the whole thread."""
        return f"alert:{self.root.pk}:v{self.pk}"

    @property
    def thread_reference_prefix(self) -> str:
        return f"alert:{self.root.pk}"
