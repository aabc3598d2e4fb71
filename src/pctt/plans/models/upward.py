"""Upward reporting, both ends: a ward's link to its province, and the province's register of
reporting wards and the reports they sent. One installation may be either or both: it reports
when a `ProvinceLink` exists and receives when `ReportingWard` rows exist (data, not code)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ENV_NAME = RegexValidator(r"^[A-Z][A-Z0-9_]{0,63}$", _("An environment variable name."))


class ProvinceLink(models.Model):
    """Ward side: where reports go. The token is never stored: only the name of the
    environment variable that holds it on this server."""

    class Mode(models.TextChoices):
        PUSH = "push", _("the ward sends its reports")
        PULL = "pull", _("the province collects the reports")

    mode = models.CharField(
        _("how reports go up"), max_length=10, choices=Mode.choices, default=Mode.PUSH
    )
    # Blank when the province pulls: it knows the ward's address, not the other way round.
    url = models.URLField(_("province API address"), max_length=300, blank=True)
    token_env = models.CharField(
        _("environment variable holding the token"), max_length=64, validators=[ENV_NAME]
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=30)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("link to the province")
        verbose_name_plural = _("links to the province")

    def __str__(self) -> str:
        return self.url or str(self.get_mode_display())

    @classmethod
    def current(cls) -> ProvinceLink | None:
        return cls.objects.filter(enabled=True).order_by("-pk").first()


class ReportingWard(models.Model):
    """Province side: a ward allowed to push reports, known by its administrative code."""

    code = models.CharField(_("administrative code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # SHA-256 of the API token; the token itself is shown once, when created.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, editable=False)
    # Set when the province collects this ward's reports instead of waiting for a push: the
    # ward's outbox, e.g. https://ward.example/ke-hoach/api/bao-cao/cho-tinh/
    pull_url = models.URLField(_("ward's outbox address (pull)"), max_length=300, blank=True)
    last_pulled_at = models.DateTimeField(_("last collected"), null=True, blank=True)
    last_pull_detail = models.CharField(_("last collection result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("reporting ward")
        verbose_name_plural = _("reporting wards")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def received_path(instance: ReceivedReport, filename: str) -> str:
    return (
        f"plans/received/{instance.ward.code}/{instance.period}-{instance.number}-"
        f"{instance.docx_sha256[:12]}.docx"
    )


class ReceivedReport(models.Model):
    """Province side: one report as a ward sent it. A (ward, period, number) arrives once: an
    identical resend is acknowledged, a different one is refused (a sent report is a record;
    a correction is a new report with a new number)."""

    ward = models.ForeignKey(
        ReportingWard, on_delete=models.PROTECT, related_name="reports", verbose_name=_("ward")
    )
    period = models.CharField(_("period"), max_length=30, db_index=True)
    number = models.PositiveIntegerField(_("number"))
    number_symbol = models.CharField(_("number and symbol"), max_length=60)
    layout = models.CharField(_("layout"), max_length=10)
    dated = models.DateField(_("dated"))
    title = models.CharField(_("summary"), max_length=500)
    figures = models.JSONField(_("figures"))
    document = models.FileField(_(".docx"), upload_to=received_path, max_length=300)
    json_sha256 = models.CharField(max_length=64)
    docx_sha256 = models.CharField(max_length=64)
    signature = models.CharField(_("signature (HMAC-SHA256)"), max_length=64)
    signature_valid = models.BooleanField(
        _("signature verified"),
        default=False,
        help_text=_("Requests with a missing or wrong signature are refused, never stored."),
    )
    signed_at = models.DateTimeField(_("signed at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("received report")
        verbose_name_plural = _("received reports")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "period", "number"], name="unique_received_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ward.code} {self.period} Số {self.number_symbol}"


class UsedNonce(models.Model):
    """Nonces seen within the signature window: a replayed request is refused."""

    ward = models.ForeignKey(ReportingWard, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "nonce"], name="unique_upward_nonce")
        ]
