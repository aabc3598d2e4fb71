from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from pctt.hazards import admin_views
from pctt.hazards.models import Proposal


@hooks.register("register_admin_urls")
def register_hazard_urls() -> list[object]:
    return [
        path("stations/", admin_views.StationsView.as_view(), name="hazards_stations"),
        path(
            "stations/<str:code>/", admin_views.StationDetailView.as_view(), name="hazards_station"
        ),
        path("proposals/", admin_views.ProposalsView.as_view(), name="hazards_proposals"),
        path(
            "proposals/<int:pk>/dismiss/", admin_views.DismissView.as_view(), name="hazards_dismiss"
        ),
        path("readings/refused/", admin_views.QuarantineView.as_view(), name="hazards_quarantine"),
        path("risk-levels/", admin_views.RiskLevelsView.as_view(), name="hazards_risk_levels"),
        path(
            "stations/<str:code>/region-class/",
            admin_views.RegionClassView.as_view(),
            name="hazards_region_class",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(self.permission))


@hooks.register("register_admin_menu_item")
def register_stations_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Stations"),
        reverse("hazards_stations"),
        icon_name="pick",
        order=105,
        permission="hazards.view_station",
    )


@hooks.register("register_admin_menu_item")
def register_proposals_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Warning proposals"),
        reverse("hazards_proposals"),
        icon_name="warning",
        order=104,
        permission="hazards.view_proposal",
    )


@hooks.register("register_admin_menu_item")
def register_risk_levels_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Risk levels"),
        reverse("hazards_risk_levels"),
        icon_name="warning",
        order=106,
        permission="hazards.view_risklevel",
    )


class ProposalsPanel:
    """On the back-office home page: the proposals waiting for an operator."""

    name = "hazard_proposals"
    order = 50

    def __init__(self, request: Any) -> None:
        self.request = request

    @property
    def media(self) -> Any:
        from django.forms import Media

        return Media()

    def render_html(self, parent_context: Any = None) -> SafeString:
        waiting = Proposal.objects.filter(state=Proposal.State.OPEN).select_related("alert")[:5]
        return SafeString(
            render_to_string(
                "hazards/admin/panel.html", {"proposals": waiting}, request=self.request
            )
        )


@hooks.register("construct_homepage_panels")
def add_proposals_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("hazards.view_proposal"):
        panels.insert(0, ProposalsPanel(request))
