"""Rumour control: a claim (what is said), its verification and the public correction.

Claims, never people: no field records who spread a claim, where a person saw it or who
reported it. Variants are other wordings of the same claim; channels are kinds of media.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from pctt.community.models.submissions import TEXT_MAX


class Verdict(models.TextChoices):
    PENDING = "pending", _("being verified")
    FALSE = "false", _("false")
    MISLEADING = "misleading", _("misleading")
    TRUE = "true", _("true")
    UNPROVEN = "unproven", _("unproven")


class ClaimChannel(models.TextChoices):
    SOCIAL = "social", _("social networks")
    MESSAGING = "messaging", _("messaging groups")
    SMS = "sms", _("SMS")
    WORD_OF_MOUTH = "word_of_mouth", _("word of mouth")
    FAKE_LOUDSPEAKER = "loudspeaker", _("loudspeaker or vehicle announcement")
    WEBSITE = "website", _("website or video")
    OTHER = "other", _("other")


class Claim(ClusterableModel):
    wording = models.TextField(_("the claim as it circulates"), max_length=TEXT_MAX)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    first_seen = models.DateField(_("first seen"))
    channels = models.JSONField(_("seen on"), default=list, blank=True)

    verdict = models.CharField(
        _("verdict"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    title = models.CharField(_("correction title"), max_length=200, blank=True)
    facts = models.TextField(_("the facts (correction)"), blank=True, max_length=5000)
    short_text = models.CharField(
        _("short version (SMS, loudspeaker)"),
        max_length=320,
        blank=True,
        help_text=_("At most 320 characters: two SMS segments without diacritics."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warning_draft = models.ForeignKey(
        "alerts.Alert",
        verbose_name=_("sent out as warning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-first_seen", "-pk"]
        permissions = [("publish_claim", "Can publish corrections of claims")]

    def __str__(self) -> str:
        return self.title or self.wording[:80]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def channel_labels(self) -> list[str]:
        labels = dict(ClaimChannel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


class ClaimVariant(models.Model):
    claim = ParentalKey(Claim, on_delete=models.CASCADE, related_name="variants")
    wording = models.TextField(_("wording"), max_length=TEXT_MAX)
    seen_on = models.DateField(_("seen on"), null=True, blank=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")

    def __str__(self) -> str:
        return self.wording[:80]


class Evidence(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_SOURCE = "official", _("official source")
        BULLETIN = "bulletin", _("forecast or warning bulletin")
        PHOTO = "photo", _("photo or video")
        FIELD_CHECK = "field_check", _("checked on the spot")

    claim = ParentalKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what it shows"), max_length=TEXT_MAX)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description[:80]
