"""Back office: the plan dashboard, reports, and the plan, activities and tasks as lists."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.plans import admin_views, upward_admin
from pctt.plans.models import Activity, Clause, PeriodicTask, Plan


class ActivityViewSet(ModelViewSet):
    model = Activity
    icon = "tasks"
    menu_label = _("Activities")
    list_display = ["held_on", "kind", "organisation", "participants", "source"]
    list_filter = ["kind", "organisation", "source"]
    # Changes go through the phone page and actions.py (organisation scope): read-only here.
    add_view_enabled = False
    edit_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["description"]


class PlanViewSet(ModelViewSet):
    model = Plan
    icon = "doc-full"
    menu_label = _("Plans")
    list_display = ["number", "kind", "issuer", "is_current"]
    form_fields = ["number", "kind", "issuer", "issued_on", "title", "implements", "is_current"]
    copy_view_enabled = False
    inspect_view_enabled = True


class ClauseViewSet(ModelViewSet):
    model = Clause
    icon = "list-ol"
    menu_label = _("Clauses")
    list_display = ["code", "label", "kind", "plan"]
    list_filter = ["kind", "plan"]
    form_fields = ["label", "text", "organisation_kinds"]
    add_view_enabled = False
    copy_view_enabled = False


class TaskViewSet(ModelViewSet):
    model = PeriodicTask
    icon = "date"
    menu_label = _("Periodic tasks")
    list_display = ["title", "organisation_kind", "recurrence", "duty"]
    list_filter = ["recurrence", "organisation_kind"]
    form_fields = [
        "plan",
        "duty",
        "organisation_kind",
        "title",
        "recurrence",
        "due_day",
        "due_on",
        "activity_kinds",
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
