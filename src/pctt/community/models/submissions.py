"""What residents tell the ward. Claims, never people: a submission holds what was said and
where, never who said it — unless the resident leaves a contact to get an answer, and then
the contact is personal data with consent, masking, an erase-by date and deletion on request.

No network address, device, user agent or name is stored, on purpose.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctt.core import phone as phones

TEXT_MAX = 2000
LINK_MAX = 500
# Reference codes: no 0/O/1/I so they can be read out on the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class Kind(models.TextChoices):
    QUESTION = "question", _("question")
    CONCERN = "concern", _("concern or wish")
    HAZARD = "hazard", _("hazard report")
    CLAIM = "claim", _("claim seen (rumour)")


class Source(models.TextChoices):
    PORTAL = "portal", _("portal")
    SMS = "sms", _("SMS")
    APP = "app", _("messaging app")
    PHONE_CALL = "phone_call", _("phone call")
    MEETING = "meeting", _("meeting")


class Theme(models.TextChoices):
    FLOOD = "flood", _("floods and inundation")
    LANDSLIDE = "landslide", _("landslides")
    STORM = "storm", _("storms, wind, lightning")
    WARNINGS = "warnings", _("warnings and information")
    EVACUATION = "evacuation", _("evacuation and shelters")
    INFRASTRUCTURE = "infrastructure", _("dykes, roads, drainage")
    RELIEF = "relief", _("relief and recovery support")
    OTHER = "other", _("other")


class AnswerChannel(models.TextChoices):
    NONE = "", _("no answer needed")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")
    APP = "app", _("messaging app")


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected (spam or abuse)")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def open(self) -> SubmissionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def leaders(self) -> SubmissionQuerySet:
        """One row per group: submissions not grouped under another."""
        return self.filter(group_leader__isnull=True)


class Submission(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("received by"), max_length=12, choices=Source.choices)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    link = models.URLField(_("link"), max_length=LINK_MAX, blank=True)
    residential_group = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("residential group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("where"), max_length=200, blank=True)
    # A location only when the resident chose to share it (map point or photo GPS).
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="community/%Y/%m/", blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    due_at = models.DateTimeField(_("due"), db_index=True)
    group_leader = models.ForeignKey(
        "self",
        verbose_name=_("grouped with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grouped",
    )
    assigned_organisation = models.ForeignKey(
        "plans.Organisation",
        verbose_name=_("assigned organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned official"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claim = models.ForeignKey(
        "community.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    warning_draft = models.ForeignKey(
        "alerts.Alert",
        verbose_name=_("warning draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("internal note"), blank=True, max_length=TEXT_MAX)

    answer = models.TextField(_("answer"), blank=True, max_length=TEXT_MAX)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_sent_at = models.DateTimeField(_("answer sent"), null=True, blank=True)
    answer_error = models.CharField(_("answer not sent"), max_length=300, blank=True)
    qa_proposed_at = models.DateTimeField(_("proposed for the Q&A library"), null=True, blank=True)
    qa_page_id = models.PositiveIntegerField(_("Q&A page"), null=True, blank=True)

    # Personal data: only when the resident wants an answer, with consent, erased by a date.
    answer_channel = models.CharField(
        _("answer by"), max_length=8, choices=AnswerChannel.choices, blank=True
    )
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    contact_consent_at = models.DateTimeField(_("consent to be contacted"), null=True, blank=True)
    contact_erase_after = models.DateTimeField(_("contact erased after"), null=True, blank=True)

    received_at = models.DateTimeField(
        _("received"), default=timezone.now, db_index=True, editable=False
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["due_at", "pk"]
        permissions = [
            ("triage_submission", "Can triage and answer residents' submissions"),
            ("view_summary", "Can see summaries of residents' concerns (counts and texts)"),
            ("see_all_submission", "Can see every submission, whoever it is assigned to"),
            ("take_new_submission", "Can see and take new submissions nobody is assigned to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact="") | models.Q(contact_consent_at__isnull=False),
                name="community_contact_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    @property
    def masked_contact(self) -> str:
        """What officials see: enough to recognise a channel, never the person."""
        if not self.contact:
            return ""
        if self.answer_channel == AnswerChannel.SMS:
            return phones.mask(self.contact)
        if self.answer_channel == AnswerChannel.EMAIL:
            local, _sep, domain = self.contact.partition("@")
            return f"{local[:1]}•••@{domain}"
        return f"{self.contact[:2]}•••"
