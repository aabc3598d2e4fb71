"""The wizard's URLs, its menu entry and the home-page panel listing what is still missing."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from pctt.onboarding import steps, views
from pctt.onboarding.actions import RUN
from pctt.onboarding.models import Onboarding


@hooks.register("register_admin_urls")
def register_onboarding_urls() -> list[object]:
    return [
        path("thiet-lap/", views.OverviewView.as_view(), name="onboarding_home"),
        path("thiet-lap/tim-phuong.json", views.ward_search, name="onboarding_ward_search"),
        path("thiet-lap/ranh-gioi.geojson", views.outline, name="onboarding_outline"),
        path("thiet-lap/<slug:key>/", views.StepView.as_view(), name="onboarding_step"),
    ]


class SetupMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(RUN))


@hooks.register("register_settings_menu_item")
def register_onboarding_menu_item() -> MenuItem:
    return SetupMenuItem(
        _("Set up the ward"), reverse("onboarding_home"), icon_name="cogs", order=10
    )


class SetupPanel(Component):
    """On the back-office home: the set-up steps still missing, with links for administrators."""

    name = "onboarding_missing"
    order = 10

    def __init__(self, request: Any, rows: list[steps.StepStatus], demo: bool) -> None:
        self.request = request
        self.rows = rows
        self.demo = demo

    def render_html(self, parent_context: Any = None) -> SafeString:
        return SafeString(
            render_to_string(
                "onboarding/panel.html",
                {
                    "missing": [r for r in self.rows if not r.done],
                    "demo": self.demo,
                    "can_run": self.request.user.has_perm(RUN),
                    "started": bool(self.rows),
                },
                request=self.request,
            )
        )


def missing_rows() -> tuple[list[steps.StepStatus], bool]:
    """The steps not done, and whether the installation still serves the demo ward."""
    from pctt.areas.models import WardSetting

    setting = WardSetting.load()
    demo = setting.ward is not None and setting.ward.code == steps.DEMO_WARD_CODE
    state = Onboarding.current()
    if state is None:
        return [], demo or setting.ward is None
    rows = [row for row in steps.statuses(state) if not row.done]
    return rows, False


@hooks.register("construct_homepage_panels")
def add_setup_panel(request: Any, panels: list[Any]) -> None:
    rows, demo = missing_rows()
    if rows or demo:
        panels.insert(0, SetupPanel(request, rows, demo))
