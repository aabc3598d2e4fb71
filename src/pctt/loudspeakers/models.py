"""Loudspeaker devices' state, programmes, recordings, announcements, play log, health alerts.

The cluster itself (controller id, area, protocol) is dispatch's ``LoudspeakerCluster``, the
recipient of warnings; what the radio officer needs beyond it lives here, one to one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from pctt.core.tts import VIETNAMESE_VOICES


class Priority(models.TextChoices):
    NORMAL = "normal", _("normal: plays in its slot")
    PRIORITY = "priority", _("priority: first in the next slot")
    EMERGENCY = "emergency", _("emergency: interrupts at once")


class Voice(models.TextChoices):
    NORTH = VIETNAMESE_VOICES[0], _("northern voice")
    CENTRAL = VIETNAMESE_VOICES[1], _("central voice")
    SOUTH = VIETNAMESE_VOICES[2], _("southern voice")


class ClusterDevice(models.Model):
    """Where a cluster stands and what its controller last reported."""

    cluster = models.OneToOneField(
        "dispatch.LoudspeakerCluster",
        verbose_name=_("cluster"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="device",
    )
    hazard_zone = models.ForeignKey(
        "areas.HazardZone",
        verbose_name=_("hazard zone covered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loudspeaker_devices",
    )
    high_risk = models.BooleanField(
        _("in a high-risk area"),
        default=False,
        help_text=_("When offline, the radio officer and the alert operators are alerted."),
    )
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    coverage_radius_m = models.PositiveIntegerField(_("coverage radius (m)"), default=300)
    heartbeat_s = models.FloatField(_("heartbeat interval (s)"), default=30.0)
    # Reported by the device:
    online = models.BooleanField(_("online"), default=False)
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    volume = models.PositiveSmallIntegerField(_("volume"), null=True, blank=True)
    playing = models.CharField(_("playing now"), max_length=300, blank=True)
    last_played = models.CharField(_("last played"), max_length=300, blank=True)
    firmware = models.CharField(_("firmware"), max_length=64, blank=True)
    schedule_version = models.PositiveIntegerField(
        _("schedule version on the device"), null=True, blank=True
    )
    schedule_pushed_at = models.DateTimeField(_("schedule last pushed"), null=True, blank=True)

    class Meta:
        verbose_name = _("loudspeaker device")
        verbose_name_plural = _("loudspeaker devices")

    def __str__(self) -> str:
        return str(self.cluster)

    @property
    def state(self) -> str:
        """online | playing | offline | unknown: the map's colour."""
        if self.last_seen_at is None:
            return "unknown"
        if not self.online:
            return "offline"
        return "playing" if self.playing else "online"


class Recording(models.Model):
    """An uploaded MP3/WAV, checked and stored normalised in loudness (WAV)."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("normalised audio"), upload_to="loudspeakers/recordings/")
    original_name = models.CharField(_("uploaded file"), max_length=200, blank=True)
    original_format = models.CharField(_("format"), max_length=8)
    duration_s = models.FloatField(_("duration (s)"))
    loudness_before_dbfs = models.FloatField(_("loudness before (dBFS)"))
    gain_db = models.FloatField(_("gain applied (dB)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return self.title


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Programme(ClusterableModel):
    """A daily or weekly programme for a group of clusters: items in time slots."""

    name = models.CharField(_("name"), max_length=200)
    clusters = ParentalManyToManyField(
        "dispatch.LoudspeakerCluster", verbose_name=_("clusters"), related_name="programmes"
    )
    weekdays = models.JSONField(
        _("days of the week"), default=list, help_text=_("Empty: every day.")
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    # Help is given on the panels, not on the fields: no migration for a wording.
    panels: ClassVar[list[Any]] = [
        FieldPanel("name", help_text=_("A name to find it by, e.g. Bản tin sáng hằng ngày.")),
        FieldPanel(
            "clusters",
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick every cluster that should play it."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("weekdays"),
                FieldPanel("starts_on", help_text=_("First day, dd/mm/yyyy; empty: from now.")),
                FieldPanel("ends_on", help_text=_("Last day, dd/mm/yyyy; empty: no end.")),
            ],
            heading=_("When"),
        ),
        FieldPanel("active", help_text=_("Untick to pause the programme without deleting it.")),
        InlinePanel("items", label=_("items"), min_num=1),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        SCRIPT = "script", _("library script (spoken)")
        RECORDING = "recording", _("uploaded recording")
        RELAY = "relay", _("relay of an upstream stream")

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="items")
    slot = models.TimeField(_("slot"), help_text=_("e.g. 05:30 or 17:00"))
    position = models.PositiveSmallIntegerField(_("order in the slot"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCRIPT)
    script = models.ForeignKey(
        "library.LoudspeakerScriptPage",
        verbose_name=_("library script"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voice = models.CharField(_("voice"), max_length=20, choices=Voice.choices, default=Voice.NORTH)
    speed_wpm = models.PositiveSmallIntegerField(_("speed (words a minute)"), default=140)
    recording = models.ForeignKey(
        Recording,
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stream_url = models.URLField(
        _("stream address"), blank=True, help_text=_("The provincial or national programme.")
    )
    relay_minutes = models.PositiveSmallIntegerField(_("relay for (minutes)"), default=0)
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=[
            (Priority.NORMAL, Priority.NORMAL.label),
            (Priority.PRIORITY, Priority.PRIORITY.label),
        ],
        default=Priority.NORMAL,
    )
    # The spoken version of a script, made by espeak-ng when the schedule is built.
    audio = models.FileField(upload_to="loudspeakers/speech/", blank=True, editable=False)
    audio_key = models.CharField(max_length=64, blank=True, editable=False)
    duration_s = models.FloatField(_("duration (s)"), default=0, editable=False)

    panels: ClassVar[list[Any]] = [
        FieldPanel("slot", help_text=_("The time it starts, 24 hours, e.g. 05:30 or 17:00.")),
        FieldPanel("position", help_text=_("1 plays first when items share a time.")),
        FieldPanel("kind", help_text=_("A script read out, a recording, or a relayed station.")),
        FieldPanel("script", help_text=_("For a script: the library's programme to read out.")),
        FieldPanel("voice", help_text=_("For a script: the accent it is read in.")),
        FieldPanel("speed_wpm", help_text=_("For a script: words a minute; 140 is a calm pace.")),
        FieldPanel("recording", help_text=_("For a recording: the uploaded file to play.")),
        FieldPanel("stream_url"),
        FieldPanel(
            "relay_minutes", help_text=_("For a relay: how many minutes to play it, e.g. 30.")
        ),
        FieldPanel(
            "priority",
            help_text=_("Normal for everyday items; priority puts it first in the next slot."),
        ),
    ]

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ("slot", "position", "pk")

    def __str__(self) -> str:
        return f"{self.slot:%H:%M} {self.title}"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.SCRIPT and self.script is not None:
            return str(self.script.title)
        if self.kind == self.Kind.RECORDING and self.recording is not None:
            return str(self.recording.title)
        return str(_("Relay")) + f" {self.stream_url}"


class ProgrammeRevision(models.Model):
    """Every saved change of a programme, with what it then was."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme revision")
        verbose_name_plural = _("programme revisions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="loudspeakers_rev_once")
        ]


class ClusterSchedule(models.Model):
    """A schedule version for one cluster: what was (or will be) pushed to its controller."""

    cluster = models.ForeignKey(
        "dispatch.LoudspeakerCluster", on_delete=models.CASCADE, related_name="schedules"
    )
    version = models.PositiveIntegerField(_("version"))
    items = models.JSONField(_("items"), default=list)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("stored by the device"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster schedule")
        verbose_name_plural = _("cluster schedules")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "version"], name="loudspeakers_sched_once")
        ]


class Announcement(models.Model):
    """A routine notice sent to chosen clusters now (warnings go through the warnings flow)."""

    text = models.TextField(_("text"), blank=True)
    recording = models.ForeignKey(
        Recording, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voice = models.CharField(_("voice"), max_length=20, choices=Voice.choices, default=Voice.NORTH)
    clusters = models.ManyToManyField(
        "dispatch.LoudspeakerCluster", verbose_name=_("clusters"), related_name="+"
    )
    audio = models.FileField(upload_to="loudspeakers/speech/", blank=True)
    duration_s = models.FloatField(_("duration (s)"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.text[:60] or str(self.recording)

    @property
    def item_id(self) -> str:
        return f"ann-{self.pk}"


class DeviceCommand(models.Model):
    """A message for a controller, saved first and published by the monitor (retried)."""

    class Kind(models.TextChoices):
        PLAY = "phat", _("play now")
        COMMAND = "lenh", _("command")

    cluster = models.ForeignKey(
        "dispatch.LoudspeakerCluster", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("device command")
        verbose_name_plural = _("device commands")
        indexes = [models.Index(fields=["published_at"], name="loudspeakers_cmd_unsent")]


class PlayLog(models.Model):
    """One item a device says it played (from its receipt)."""

    cluster = models.ForeignKey(
        "dispatch.LoudspeakerCluster", on_delete=models.CASCADE, related_name="play_log"
    )
    receipt_id = models.CharField(max_length=120)
    item_id = models.CharField(_("item"), max_length=120)
    title = models.CharField(_("title"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    reference = models.CharField(_("warning"), max_length=100, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started"), db_index=True)
    duration_s = models.FloatField(_("duration (s)"))
    completed = models.BooleanField(_("played to the end"), default=True)
    resumed = models.BooleanField(_("resumed after an interruption"), default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("play-log entry")
        verbose_name_plural = _("play log")
        ordering = ("-started_at",)
        constraints = [
            models.UniqueConstraint(fields=["cluster", "receipt_id"], name="loudspeakers_play_once")
        ]


class HealthAlert(models.Model):
    class Kind(models.TextChoices):
        OFFLINE_HIGH_RISK = "offline_high_risk", _("offline in a high-risk area")
        MISSED_DURING_WARNING = (
            "missed_during_warning",
            _("missed a heartbeat during an active warning"),
        )

    cluster = models.ForeignKey(
        "dispatch.LoudspeakerCluster", on_delete=models.CASCADE, related_name="health_alerts"
    )
    kind = models.CharField(_("problem"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("device health alert")
        verbose_name_plural = _("device health alerts")
        ordering = ("-raised_at",)
