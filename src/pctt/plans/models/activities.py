"""What the organisations did: one row per activity, entered by people or recorded by the system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    PARTY_CELL_MEETING = "party_cell_meeting", _("Party cell meeting")
    MEETING = "meeting", _("organisation meeting")
    CONFERENCE = "conference", _("conference or seminar")
    TRAINING = "training", _("training")
    DRILL = "drill", _("drill")
    LOUDSPEAKER = "loudspeaker", _("loudspeaker programme")
    LEAFLETS = "leaflets", _("leaflets distributed")
    POSTERS = "posters", _("posters or banners")
    NEWSLETTER = "newsletter", _("newsletter")
    SOCIAL_POST = "social_post", _("social-media post")
    DOOR_TO_DOOR = "door_to_door", _("door-to-door visits")
    WARNING = "warning", _("warning sent")
    PUBLICATION = "publication", _("library publication")
    OTHER = "other", _("other")


#: The plan's form (section III) each kind of activity belongs to, when the person gives none.
DEFAULT_FORM: dict[str, str] = {
    ActivityKind.PARTY_CELL_MEETING: "F2",
    ActivityKind.MEETING: "F2",
    ActivityKind.CONFERENCE: "F2",
    ActivityKind.TRAINING: "F2",
    ActivityKind.DRILL: "F2",
    ActivityKind.LOUDSPEAKER: "F1",
    ActivityKind.LEAFLETS: "F3",
    ActivityKind.POSTERS: "F3",
    ActivityKind.NEWSLETTER: "F3",
    ActivityKind.SOCIAL_POST: "F1",
    ActivityKind.DOOR_TO_DOOR: "F2",
    ActivityKind.WARNING: "F4",
    ActivityKind.PUBLICATION: "F1",
    ActivityKind.OTHER: "F2",
}

#: Participant counts by group; each is part of the total.
PARTICIPANT_GROUPS = ("women", "ethnic_minority", "disabled", "elderly", "youth")


class Activity(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by a focal point")
        WARNING = "warning", _("warning sent")
        PUBLICATION = "publication", _("library publication")
        BROADCAST = "broadcast", _("loudspeaker broadcast")

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(
        "plans.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("what was done"), max_length=30, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    groups = models.ManyToManyField(
        "areas.AdminUnit",
        blank=True,
        related_name="plan_activities",
        verbose_name=_("residential groups"),
    )
    themes = models.ManyToManyField(
        "plans.Clause",
        blank=True,
        related_name="theme_activities",
        verbose_name=_("themes"),
        limit_choices_to={"kind": "theme"},
    )
    form = models.ForeignKey(
        "plans.Clause",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="form_activities",
        verbose_name=_("form"),
        limit_choices_to={"kind": "form"},
    )
    task = models.ForeignKey(
        "plans.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("task"),
    )
    participants = models.PositiveIntegerField(_("participants or people reached"), default=0)
    women = models.PositiveIntegerField(_("of whom women"), default=0)
    ethnic_minority = models.PositiveIntegerField(_("of whom ethnic-minority people"), default=0)
    disabled = models.PositiveIntegerField(_("of whom people with disabilities"), default=0)
    elderly = models.PositiveIntegerField(_("of whom elderly people"), default=0)
    youth = models.PositiveIntegerField(_("of whom young people"), default=0)
    reach_is_estimate = models.BooleanField(
        _("people reached is an estimate"),
        default=False,
        help_text=_("Warnings and broadcasts count the residents of the groups they target."),
    )
    copies = models.PositiveIntegerField(_("copies distributed"), default=0)
    # Loudspeaker programmes reach households, not counted people: kept apart from both.
    households = models.PositiveIntegerField(_("households reached"), default=0)
    description = models.TextField(_("notes"), blank=True)
    materials: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        verbose_name=_("materials used (library pages)"),
    )
    photos: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "wagtailimages.Image", blank=True, related_name="+", verbose_name=_("photos")
    )
    source = models.CharField(
        _("recorded from"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    # One activity per automatic source (e.g. "alert:12"), so a replayed signal adds nothing.
    source_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # The phone's id for an entry made offline: a replayed upload adds nothing.
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        permissions = [
            ("record_any_activity", _("Can record activities for any organisation")),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.get_kind_display()} ({self.organisation})"
