"""Back-office screens: the plan's dashboard (indicators, charts, exports) and reports.

Views parse and authorise; reports are created and edited through `pctt.plans.actions`.
"""

from __future__ import annotations

import csv
import io
import logging
import subprocess
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.core import charts
from pctt.plans import actions, indicators, queries, reporting
from pctt.plans.models import Organisation, Plan, Report
from pctt.plans.models.activities import ActivityKind
from pctt.plans.periods import Period, PeriodError, parse_period, period_containing

log = logging.getLogger(__name__)
HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
VIEW_PERMISSION = "plans.view_activity"


def _period(request: HttpRequest) -> Period:
    text = request.GET.get("period", "")
    if not text:
        return period_containing(timezone.localdate(), "quarter")
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


def _plan() -> Plan:
    plan = Plan.current()
    if plan is None:
        raise Http404(_("No current plan: load or mark the ward's plan first."))
    return plan


class _Page(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    header_icon = "list-ul"
    permission = VIEW_PERMISSION

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(self.permission):
            raise PermissionDenied(self.permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


def tables(plan: Plan, period: Period) -> dict[str, Any]:
    """Everything the dashboard and the exports show, computed once."""
    facts = queries.facts(plan, period)
    summary = indicators.summarise(facts)
    labels = dict(plan.clauses.values_list("code", "label"))
    kinds = dict(ActivityKind.choices)
    return {
        "summary": summary,
        "coverage": indicators.coverage(facts, queries.ward_groups(plan)),
        "by_theme": [(c, labels.get(c, c), n) for c, n in summary.by_theme.items()],
        "by_form": [(c, labels.get(c, c), n) for c, n in summary.by_form.items()],
        "by_kind": [(str(kinds.get(k, k)), n) for k, n in summary.by_kind.items()],
        "by_organisation": list(summary.by_organisation.items()),
    }


class DashboardView(_Page):
    template_name = "plans/admin/dashboard.html"
    page_title = gettext_lazy("Plan dashboard")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Plan dashboard")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from pctt.alerts.models import Alert

        context = super().get_context_data(**kwargs)
        plan, period = _plan(), _period(self.request)
        today = timezone.localdate()
        active = list(Alert.objects.active().filter(status=Alert.Status.ACTUAL))
        context.update(tables(plan, period))
        context.update(
            plan=plan,
            period=period,
            period_text=self.request.GET.get("period", ""),
            tasks=[
                t
                for t in queries.task_statuses(plan, period, today)
                if t.status in ("overdue", "due")
            ],
            active_alerts=active,
            can_report=self.request.user.has_perm(actions.REPORT_PERMISSION),
        )
        return context


def chart(request: HttpRequest, name: str) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied(VIEW_PERMISSION)
    data = tables(_plan(), _period(request))
    if name == "coverage":
        image = charts.bar_chart(
            {row.name: row.activities for row in data["coverage"]},
            title=_("Activities by residential group"),
            highlight_zero=True,
            horizontal=True,
        )
    elif name == "themes":
        image = charts.bar_chart(
            {code: n for code, _label, n in data["by_theme"]}, title=_("Activities by theme")
        )
    elif name == "reached":
        image = charts.line_chart(
            data["summary"].participants_by_month, title=_("Participants by month")
        )
    else:
        raise Http404(name)
    return HttpResponse(image, content_type="image/svg+xml")


def _rows(data: dict[str, Any], table: str) -> list[list[object]]:
    if table == "coverage":
        return [[_("Residential group"), _("Activities"), _("Participants")]] + [
            [r.name, r.activities, r.participants] for r in data["coverage"]
        ]
    if table == "themes":
        return [[_("Code"), _("Theme"), _("Activities")]] + [list(r) for r in data["by_theme"]]
    if table == "forms":
        return [[_("Code"), _("Form"), _("Activities")]] + [list(r) for r in data["by_form"]]
    if table == "organisations":
        return [[_("Organisation"), _("Activities")]] + [list(r) for r in data["by_organisation"]]
    raise Http404(table)


def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied(VIEW_PERMISSION)
    period = _period(request)
    rows = _rows(tables(_plan(), period), table)
    filename = f"{table}-{period.starts_on:%Y%m%d}-{period.ends_on:%Y%m%d}"
    if fmt == "csv":
        buffer = io.StringIO()
        # A byte-order mark so spreadsheet programs read Vietnamese letters as UTF-8.
        buffer.write("\ufeff")
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append([str(v) if isinstance(v, str) else v for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class ReportsView(_Page):
    template_name = "plans/admin/reports.html"
    page_title = gettext_lazy("Reports")
    permission = "plans.view_report"
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Reports")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = list(actions.organisations_of(self.request.user))
        context.update(
            reports=Report.objects.select_related("organisation")[:100],
            reporting_bodies=[o for o in mine if o.kind in actions.REPORTING_KINDS],
            periods=Report.Period.choices,
            default_period=f"{timezone.localdate():%Y-%m}",
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        chosen = request.POST.get("organisation", "")
        organisation = (
            Organisation.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        )
        try:
            if organisation is None:
                raise ValidationError(_("Choose the reporting body."))
            period = parse_period(request.POST.get("period", ""))
            report = actions.create_report(
                user=request.user, organisation=organisation, period=period
            )
        except PeriodError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("plans_reports"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("plans_reports"))
        messages.success(request, _("Report %(n)s created.") % {"n": report.number_symbol})
        return HttpResponseRedirect(reverse("plans_report", args=[report.pk]))


class ReportView(_Page):
    template_name = "plans/admin/report.html"
    permission = "plans.view_report"

    def report(self) -> Report:
        return get_object_or_404(Report, pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return f"{_('Report')} {self.report()}"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            HOME,
            {"url": reverse("plans_reports"), "label": _("Reports")},
            {"url": "", "label": str(self.report())},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.report()
        context.update(
            report=report,
            sections=[(k, h, report.narrative.get(k, "")) for k, h in reporting.NARRATIVE],
            recipients="\n".join(report.recipients),
            can_edit=self.request.user.has_perm("plans.change_report"),
            has_pdf=reporting.soffice() is not None,
            can_push=self.request.user.has_perm("plans.push_report")
            and report.push_status not in ("sent", "ready"),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report()
        narrative = {k: request.POST.get(k, "") for k, _h in reporting.NARRATIVE}
        try:
            actions.edit_report(
                user=request.user,
                report=report,
                narrative=narrative,
                recipients=request.POST.get("recipients", "").splitlines(),
                signer=request.POST.get("signer", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.get(request, pk=pk)
        messages.success(request, _("Report saved."))
        return HttpResponseRedirect(reverse("plans_report", args=[pk]))


class ReportFileView(View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if not request.user.has_perm("plans.view_report"):
            raise PermissionDenied("plans.view_report")
        report = get_object_or_404(Report, pk=pk)
        name = f"bao-cao-{report.number}-{report.dated:%Y%m%d}"
        if fmt == "docx":
            body = reporting.docx_bytes(report)
            kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        elif fmt == "pdf":
            try:
                pdf = reporting.pdf_bytes(report)
            except (reporting.ConversionError, subprocess.TimeoutExpired):
                log.exception("PDF conversion of report %s failed", report.pk)
                messages.error(request, _("The PDF could not be made; download the .docx."))
                return HttpResponseRedirect(reverse("plans_report", args=[pk]))
            if pdf is None:
                raise Http404(_("PDF unavailable: LibreOffice is not installed on this server."))
            body, kind = pdf, "application/pdf"
        else:
            raise Http404(fmt)
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
