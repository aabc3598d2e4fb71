"""Recipients. Phone numbers and e-mail addresses are personal data (Law 91/2025):
minimal fields, consent recorded per channel, shown masked, never logged in clear."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def mask_phone(phone: str) -> str:
    return f"{phone[:4]}•••{phone[-3:]}" if len(phone) > 7 else "•••"


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


class Subscriber(models.Model):
    phone = models.CharField(_("phone (E.164)"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    residential_group = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("residential group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscribers",
    )
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        if self.phone:
            return mask_phone(self.phone)
        return mask_email(self.email) if self.email else f"#{self.pk}"


class Consent(models.Model):
    """Consent to receive disaster warnings on one channel; withdrawal keeps the record."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")
        APP = "app", _("messaging app")

    class Method(models.TextChoices):
        WEB_FORM = "web_form", _("portal form")
        PAPER_FORM = "paper_form", _("paper form at the ward office")
        SMS_KEYWORD = "sms_keyword", _("SMS keyword")
        DEMO = "demo", _("demo data (fictional)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=100, default="disaster_warnings")
    method = models.CharField(_("how given"), max_length=20, choices=Method.choices)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.subscriber} {self.channel}"
