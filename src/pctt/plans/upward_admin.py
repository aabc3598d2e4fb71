"""Back-office screens of upward reporting.

Province: every reporting ward × period (reported / late / missing / not yet due) and the
indicators summed across wards; registering a ward (its token shown once). Ward: the "Send to
the province" button on a report. Views parse and authorise; changes go through
`upward_actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctt.plans import upward_actions
from pctt.plans.admin_views import HOME, _Page
from pctt.plans.models import ReceivedReport, Report, ReportingWard
from pctt.plans.periods import Period, PeriodError, parse_period
from pctt.plans.upward_schema import aggregate, period_text, report_status

KINDS = ("month", "quarter", "half", "year")
KIND_LABELS = {
    "month": gettext_lazy("Monthly"),
    "quarter": gettext_lazy("Quarterly"),
    "half": gettext_lazy("Half-yearly"),
    "year": gettext_lazy("Yearly"),
}


def periods_of_year(year: int, kind: str, today: Any) -> list[Period]:
    """The periods of a year that have started by today, in order."""
    if kind == "year":
        texts = [f"{year}"]
    elif kind == "half":
        texts = [f"{year}-H1", f"{year}-H2"]
    elif kind == "quarter":
        texts = [f"{year}-Q{q}" for q in range(1, 5)]
    else:
        texts = [f"{year}-{m:02d}" for m in range(1, 13)]
    return [p for p in map(parse_period, texts) if p.starts_on <= today]


def latest_by_ward(period: str) -> dict[int, ReceivedReport]:
    """The last report each ward sent for a period (a ward may send a correction as a new
    number: only the latest counts, so nothing is added twice)."""
    latest: dict[int, ReceivedReport] = {}
    for row in ReceivedReport.objects.filter(period=period).order_by("number", "received_at"):
        latest[row.ward_id] = row
    return latest


class ProvinceDashboardView(_Page):
    template_name = "plans/admin/province.html"
    page_title = gettext_lazy("Wards' reports")
    permission = "plans.view_receivedreport"
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Wards' reports")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        kind = self.request.GET.get("kind", "month")
        year_text = self.request.GET.get("year", str(today.year))
        if kind not in KINDS or not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            raise Http404(_("Unknown period."))
        periods = periods_of_year(int(year_text), kind, today)
        wards = list(ReportingWard.objects.all())
        received: dict[tuple[int, str], Any] = {}
        texts = [period_text(p) for p in periods]
        for row in ReceivedReport.objects.filter(period__in=texts).order_by("received_at"):
            received.setdefault((row.ward_id, row.period), timezone.localdate(row.received_at))
        grid = [
            (
                ward,
                [
                    report_status(received.get((ward.pk, text)), period, today)
                    for period, text in zip(periods, texts, strict=True)
                ],
            )
            for ward in wards
        ]
        chosen = self.request.GET.get("period") or (texts[-1] if texts else "")
        try:
            chosen_period = parse_period(chosen) if chosen else None
        except PeriodError as exc:
            raise Http404(str(exc)) from exc
        chosen_text = period_text(chosen_period) if chosen_period else ""
        latest = latest_by_ward(chosen_text) if chosen_text else {}
        context.update(
            kind=kind,
            kinds=[(k, KIND_LABELS[k]) for k in KINDS],
            year=year_text,
            periods=texts,
            grid=grid,
            chosen=chosen_text,
            totals=aggregate(r.figures for r in latest.values()),
            reports=sorted(latest.values(), key=lambda r: r.ward.code),
            not_reported=[w for w in wards if w.pk not in latest],
            can_add=self.request.user.has_perm(upward_actions.MANAGE_WARDS_PERMISSION),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        """Register a ward; its token is shown on this one response and never again."""
        try:
            ward, token = upward_actions.add_reporting_ward(
                user=request.user,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("plans_province"))
        context = self.get_context_data()
        context.update(new_ward=ward, new_token=token)
        return self.render_to_response(context)


def collect(request: HttpRequest) -> HttpResponse:
    """*Collect now*: pull the released reports of every ward that has an outbox address."""
    from pctt.plans.upward_pull import pull_all

    if request.method != "POST":
        return HttpResponseRedirect(reverse("plans_province"))
    if not request.user.has_perm("plans.change_reportingward"):
        raise PermissionDenied("plans.change_reportingward")
    for result in pull_all():
        if result.error or result.refused:
            messages.error(
                request, f"{result.ward}: {result.error or '; '.join(result.refused)}"[:300]
            )
        else:
            messages.success(
                request,
                _("%(ward)s: %(n)s report(s) collected.")
                % {"ward": result.ward, "n": result.received},
            )
    return HttpResponseRedirect(reverse("plans_province"))


def received_file(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("plans.view_receivedreport"):
        raise PermissionDenied("plans.view_receivedreport")
    row = get_object_or_404(ReceivedReport, pk=pk)
    with row.document.open("rb") as handle:
        body = handle.read()
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"{row.ward.code}-{row.period}-{row.number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def push(request: HttpRequest, pk: int) -> HttpResponse:
    """The report screen's "Send to the province" button (POST)."""
    if request.method != "POST":
        raise Http404
    report = get_object_or_404(Report, pk=pk)
    try:
        report = upward_actions.push_report(user=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if report.push_status == "ready":
            messages.success(request, _("The report is ready for the province to collect."))
        else:
            messages.success(request, _("The report is on its way to the province."))
    return HttpResponseRedirect(reverse("plans_report", args=[pk]))
