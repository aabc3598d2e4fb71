"""A plan as data: its clauses (purposes, themes, forms, duties) and periodic tasks.

Clause codes are the ids the platform traces features to (P1…, C1…, F1…, U1… with duty items
U1.1…); they come from the plan's own numbering, so they stay stable when the text is edited.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A plan or a higher document it implements (a province plan, a national conclusion)."""

    ward = models.ForeignKey(
        "areas.AdminUnit",
        verbose_name=_("commune / ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Empty for a higher-level document the ward's plan implements."),
    )
    number = models.CharField(_("number and symbol"), max_length=40, unique=True)
    kind = models.CharField(_("document type"), max_length=40, default="Kế hoạch")
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    title = models.TextField(_("summary"))
    preamble = models.TextField(_("preamble"), blank=True)
    implements = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
        verbose_name=_("implements"),
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    signature_authority = models.CharField(_("signing on behalf of"), max_length=100, blank=True)
    signature_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signature_name = models.CharField(_("signer"), max_length=100, blank=True)
    is_current = models.BooleanField(
        _("the ward's current plan"),
        default=False,
        help_text=_("Activities, indicators and reports refer to the current plan."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-is_current", "number"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    @classmethod
    def current(cls) -> Plan | None:
        return cls.objects.filter(is_current=True).order_by("-pk").first()


class Clause(models.Model):
    class Kind(models.TextChoices):
        PURPOSE = "purpose", _("purpose or requirement")
        THEME = "theme", _("content theme")
        FORM = "form", _("form of communication")
        DUTY = "duty", _("duty of an organisation")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=10)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("part of"),
    )
    label = models.CharField(_("short label"), max_length=200)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # For a duty group (U1…): which kinds of organisation the plan assigns it to.
    organisation_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_clause_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class PeriodicTask(models.Model):
    """Something an organisation must do again and again under a duty."""

    class Recurrence(models.TextChoices):
        ONCE = "once", _("once, by the due date")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        BEFORE_SEASON = "before_season", _("before the storm season")
        DURING_DISASTER = "during_disaster", _("during a disaster")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    duty = models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("duty"),
        limit_choices_to={"kind": Clause.Kind.DUTY},
    )
    organisation_kind = models.CharField(_("organisation kind"), max_length=30)
    title = models.CharField(_("task"), max_length=300)
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices)
    due_day = models.PositiveSmallIntegerField(
        _("due day of the period"),
        default=25,
        help_text=_("Day of the month (monthly, quarterly) by which it is due."),
    )
    due_on = models.DateField(_("due on (once)"), null=True, blank=True)
    activity_kinds = models.JSONField(
        _("activity kinds that fulfil it"),
        default=list,
        blank=True,
        help_text=_("Empty: any activity of the organisation fulfils it."),
    )

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")
        ordering = ["plan", "organisation_kind", "title"]

    def __str__(self) -> str:
        return self.title
