"""Back office: the plan dashboard, reports, and the plan, activities and tasks as lists."""

from __future__ import annotations

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.accounts.admin_policies import refuse_in_admin
from pctt.plans import admin_views, upward_admin
from pctt.plans.models import Activity, Clause, Organisation, PeriodicTask, Plan

# Activities change only through actions.py (organisation scope, audit); clauses come with
# their plan's text. Wagtail 8 has no add_view_enabled switch (pctt.accounts.admin_policies).
refuse_in_admin(Activity, "add", "change", "delete")
refuse_in_admin(Clause, "add")


class ActivityViewSet(ModelViewSet):
    model = Activity
    icon = "tasks"
    menu_label = _("Activities")
    list_display = ["held_on", "kind", "organisation", "participants", "source"]
    list_filter = ["kind", "organisation", "source"]
    # Changes go through the phone page and actions.py (organisation scope): read-only here
    # (refused below: a focal point's change permission must not reach other organisations).
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["description"]


class PlanViewSet(ModelViewSet):
    model = Plan
    icon = "doc-full"
    menu_label = _("Plans")
    list_display = ["number", "kind", "issuer", "is_current"]
    # Help is given here, on the panels, not on the models: no migration for a wording.
    panels = [
        FieldPanel(
            "number", help_text=_("The number and symbol printed on the document, e.g. 12/KH-UBND.")
        ),
        FieldPanel("kind", help_text=_("The type of document, e.g. Kế hoạch, Chỉ thị, Kết luận.")),
        FieldPanel("issuer", help_text=_("The body that issued it, e.g. Uỷ ban nhân dân phường.")),
        FieldPanel("issued_on", help_text=_("The date the document was signed, dd/mm/yyyy.")),
        FieldPanel("title", help_text=_("The document's title or a one-sentence summary.")),
        FieldPanel(
            "implements",
            help_text=_("Choose the higher-level documents this plan carries out."),
        ),
        FieldPanel("is_current"),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True


class ClauseViewSet(ModelViewSet):
    model = Clause
    icon = "list-ol"
    menu_label = _("Clauses")
    list_display = ["code", "label", "kind", "plan"]
    list_filter = ["kind", "plan"]
    panels = [
        FieldPanel("label", help_text=_("A few words shown in lists and reports.")),
        FieldPanel("text", help_text=_("The clause's full text, as in the signed plan.")),
        FieldPanel(
            "organisation_kinds",
            help_text=_(
                'For a duty: the kinds of organisation it falls to, e.g. ["youth_union"]; else [].'
            ),
        ),
    ]
    copy_view_enabled = False


class TaskViewSet(ModelViewSet):
    model = PeriodicTask
    icon = "date"
    menu_label = _("Periodic tasks")
    list_display = ["title", "organisation_kind", "recurrence", "duty"]
    list_filter = ["recurrence", "organisation_kind"]
    panels = [
        FieldPanel("plan", help_text=_("The plan that sets the task.")),
        FieldPanel("duty", help_text=_("The duty clause it comes from (U1…); may be empty.")),
        FieldPanel(
            "organisation_kind",
            # Stored as a code: a list of the kinds, so nobody has to type one.
            widget=forms.Select(choices=Organisation.Kind.choices),
            help_text=_("The kind of organisation that must do it."),
        ),
        FieldPanel(
            "title", help_text=_("What must be done, e.g. Tuyên truyền trên loa phát thanh.")
        ),
        FieldPanel("recurrence", help_text=_("How often it must be done.")),
        FieldPanel("due_day"),
        FieldPanel("due_on", help_text=_("Only for a one-off task: its due date, dd/mm/yyyy.")),
        FieldPanel(
            "activity_kinds",
            help_text=_(
                'The activity kinds that count, e.g. ["training", "drill"]; [] counts any.'
            ),
        ),
    ]
    copy_view_enabled = False


class PlanGroup(ViewSetGroup):
    menu_label = _("The plan")
    menu_icon = "doc-full"
    menu_order = 400
    items = (ActivityViewSet, PlanViewSet, ClauseViewSet, TaskViewSet)


@hooks.register("register_admin_viewset")
def register_plan_viewsets() -> ViewSetGroup:
    return PlanGroup()


@hooks.register("register_admin_urls")
def register_plan_urls() -> list[object]:
    return [
        path("plans/dashboard/", admin_views.DashboardView.as_view(), name="plans_dashboard"),
        path("plans/chart/<str:name>.svg", admin_views.chart, name="plans_chart"),
        path("plans/export/<str:table>.<str:fmt>", admin_views.export, name="plans_export"),
        path("plans/reports/", admin_views.ReportsView.as_view(), name="plans_reports"),
        path("plans/reports/<int:pk>/", admin_views.ReportView.as_view(), name="plans_report"),
        path(
            "plans/reports/<int:pk>/file.<str:fmt>",
            admin_views.ReportFileView.as_view(),
            name="plans_report_file",
        ),
        path("plans/reports/<int:pk>/push/", upward_admin.push, name="plans_report_push"),
        path(
            "plans/province/", upward_admin.ProvinceDashboardView.as_view(), name="plans_province"
        ),
        path("plans/province/collect/", upward_admin.collect, name="plans_province_collect"),
        path(
            "plans/province/received/<int:pk>.docx",
            upward_admin.received_file,
            name="plans_received_file",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args: object, permission: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: object) -> bool:
        return bool(request.user.has_perm(self.permission))  # type: ignore[attr-defined]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Plan dashboard"),
        reverse("plans_dashboard"),
        icon_name="table",
        order=390,
        permission="plans.view_activity",
    )


@hooks.register("register_admin_menu_item")
def register_reports_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Reports"),
        reverse("plans_reports"),
        icon_name="doc-full-inverse",
        order=395,
        permission="plans.view_report",
    )


@hooks.register("register_admin_menu_item")
def register_entry_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Record an activity"),
        reverse("plans_entry"),
        icon_name="plus",
        order=385,
        permission="plans.add_activity",
    )


@hooks.register("register_admin_menu_item")
def register_province_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Wards' reports"),
        reverse("plans_province"),
        icon_name="group",
        order=396,
        permission="plans.view_receivedreport",
    )
