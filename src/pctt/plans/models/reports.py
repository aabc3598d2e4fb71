"""Periodic reports to the upper level: figures frozen at generation, narrative edited by people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushStatus(models.TextChoices):
    NOT_SENT = "", _("not sent")
    QUEUED = "queued", _("queued")
    RETRYING = "retrying", _("will retry")
    READY = "ready", _("ready for the province to collect")
    SENT = "sent", _("received by the province")
    FAILED = "failed", _("refused or failed")


class Report(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("monthly")
        QUARTER = "quarter", _("quarterly")
        HALF = "half", _("six-monthly")
        YEAR = "year", _("yearly")
        DISASTER = "disaster", _("after a disaster")

    class Layout(models.TextChoices):
        PARTY = "party", _("Party document (Guidance 36-HD/VPTW)")
        STATE = "state", _("State document (Decree 30/2020)")

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(
        "plans.Organisation",
        verbose_name=_("reporting body"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices)
    superior_body = models.CharField(_("superior body"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(
        _("symbol"), max_length=40, help_text=_("BC/ĐU (Party layout) or BC-UBND (State layout)")
    )
    place = models.CharField(_("place"), max_length=100)
    dated = models.DateField(_("dated"))
    title = models.CharField(_("summary"), max_length=300)
    narrative = models.JSONField(_("narrative sections"), default=dict, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    signature_authority = models.CharField(_("signing on behalf of"), max_length=100)
    signature_title = models.CharField(_("signer's title"), max_length=100)
    signature_name = models.CharField(_("signer"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Sending to the province (pctt.plans.upward_push).
    push_status = models.CharField(
        _("sent to the province"),
        max_length=10,
        choices=PushStatus.choices,
        default=PushStatus.NOT_SENT,
        editable=False,
    )
    push_detail = models.TextField(_("last answer from the province"), blank=True, editable=False)
    push_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    pushed_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    # The exact .docx sent: retries resend the same bytes, so the province can tell a retry
    # from a different report under the same number.
    push_document = models.FileField(
        upload_to="plans/sent/", max_length=300, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-dated", "-pk"]
        permissions = [("push_report", _("Can send reports to the province"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number", "symbol", "dated"],
                name="unique_report_number",
            )
        ]

    def __str__(self) -> str:
        return f"Số {self.number_symbol}"

    @property
    def number_symbol(self) -> str:
        """ "12-BC/ĐU" in the Party layout, "12/BC-UBND" in the State layout."""
        separator = "-" if self.layout == self.Layout.PARTY else "/"
        return f"{self.number}{separator}{self.symbol}"
