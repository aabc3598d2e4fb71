"""Recipients. Phone numbers and e-mail addresses are personal data (Law 91/2025):
minimal fields, consent recorded per channel, shown masked, never logged in clear."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pctt.core import phone as phones


def mask_phone(phone: str) -> str:
    return phones.mask(phone)


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


class Subscriber(models.Model):
    phone = models.CharField(_("phone (E.164)"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    app_id = models.CharField(_("messaging-app id"), max_length=64, blank=True)
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
    receives_drills = models.BooleanField(
        _("takes part in drills"),
        default=False,
        help_text=_("Exercise and test messages reach only subscribers who agreed to drills."),
    )
    is_fictional = models.BooleanField(_("fictional (demo)"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["lon", "lat"], name="dispatch_subscriber_point")]

    def __str__(self) -> str:
        if self.phone:
            return mask_phone(self.phone)
        return mask_email(self.email) if self.email else f"#{self.pk}"

    def clean(self) -> None:
        if self.phone:
            try:
                self.phone = phones.normalise(self.phone)
            except phones.PhoneError as exc:
                raise ValidationError(
                    {"phone": _("Enter a Vietnamese mobile number, e.g. 0912 345 678.")}
                ) from exc

    def address(self, channel: str) -> str:
        """Where a message on *channel* goes ("" when the subscriber has no such address)."""
        addresses: dict[str, str] = {"sms": self.phone, "email": self.email, "app": self.app_id}
        return addresses.get(channel, "")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        """Given, confirmed (or given in person) and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(confirmed_at__isnull=False) | Q(method__in=Consent.IN_PERSON_METHODS)
        )


class Consent(models.Model):
    """Consent to receive disaster warnings on one channel; withdrawal keeps the record.

    Consent given on the portal or by SMS keyword counts once the subscriber has confirmed the
    code sent over the same channel (double opt-in); consent on a paper form at the ward office
    is confirmed in person. Only a hash of the code is stored.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")
        APP = "app", _("messaging app")

    class Method(models.TextChoices):
        WEB_FORM = "web_form", _("portal form")
        PAPER_FORM = "paper_form", _("paper form at the ward office")
        SMS_KEYWORD = "sms_keyword", _("SMS keyword")
        IMPORT = "import", _("imported list (paper forms)")
        DEMO = "demo", _("demo data (fictional)")

    class WithdrawalMethod(models.TextChoices):
        SMS_STOP = "sms_stop", _("STOP reply by SMS")
        EMAIL_LINK = "email_link", _("unsubscribe link in an e-mail")
        OFFICE = "office", _("at the ward office")
        PORTAL = "portal", _("on the portal")

    IN_PERSON_METHODS = (Method.PAPER_FORM, Method.IMPORT, Method.DEMO)

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=100, default="disaster_warnings")
    method = models.CharField(_("how given"), max_length=20, choices=Method.choices)
    given_at = models.DateTimeField(_("given at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_method = models.CharField(
        _("how withdrawn"), max_length=20, choices=WithdrawalMethod.choices, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["channel", "withdrawn_at"], name="dispatch_consent_active")]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.channel}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and (
            self.confirmed_at is not None or self.method in self.IN_PERSON_METHODS
        )


class LoudspeakerCluster(models.Model):
    """A group of loudspeakers driven by one controller (the commune's radio system)."""

    class Protocol(models.TextChoices):
        MQTT = "mqtt", _("MQTT")
        HTTP = "http", _("HTTP controller")

    name = models.CharField(_("name"), max_length=200)
    controller_id = models.CharField(_("controller id"), max_length=64, unique=True)
    area = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("area covered"),
        on_delete=models.PROTECT,
        related_name="loudspeaker_clusters",
    )
    protocol = models.CharField(
        _("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.MQTT
    )
    supports_priority = models.BooleanField(
        _("can interrupt programmes (emergency priority)"), default=True
    )
    receives_drills = models.BooleanField(_("plays drills"), default=False)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("loudspeaker cluster")
        verbose_name_plural = _("loudspeaker clusters")

    def __str__(self) -> str:
        return self.name
