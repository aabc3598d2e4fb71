from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.alerts import admin_views
from pctt.alerts.forms import TEMPLATE_HELP
from pctt.alerts.ingest.viewsets import UpstreamGroup
from pctt.alerts.models import WarningTemplate
from pctt.formats.admin_index import ViOrderedIndexView


class WarningTemplateViewSet(ModelViewSet):
    model = WarningTemplate
    index_view_class = ViOrderedIndexView
    icon = "doc-full"
    menu_label = _("Warning templates")
    add_to_admin_menu = True
    menu_order = 110
    list_display = ["name", "hazard", "level", "is_active"]
    list_filter = ["hazard", "is_active"]
    search_fields = ["name", "headline_vi"]
    # Help on the panels, not the models: no migration for a wording (TEMPLATE_HELP's order).
    panels = [FieldPanel(name, help_text=help_text) for name, help_text in TEMPLATE_HELP.items()]


@hooks.register("register_admin_viewset")
def register_template_viewset() -> ModelViewSet:
    return WarningTemplateViewSet("warning_templates")


@hooks.register("register_admin_viewset")
def register_upstream_viewsets() -> UpstreamGroup:
    return UpstreamGroup()


@hooks.register("register_admin_urls")
def register_alert_urls() -> list[object]:
    return [
        path("warnings/", admin_views.IndexView.as_view(), name="alerts_index"),
        path("warnings/new/", admin_views.NewView.as_view(), name="alerts_new"),
        path("warnings/<int:pk>/", admin_views.DetailView.as_view(), name="alerts_detail"),
        path("warnings/<int:pk>/edit/", admin_views.EditView.as_view(), name="alerts_edit"),
        path("warnings/<int:pk>/audio.wav", admin_views.AudioView.as_view(), name="alerts_audio"),
        path(
            "warnings/<int:pk>/<str:verb>/",
            admin_views.TransitionView.as_view(),
            name="alerts_transition",
        ),
        path(
            "warnings/relay/<int:pk>/",
            admin_views.RelayView.as_view(),
            name="alerts_relay_upstream",
        ),
    ]


class WarningsMenuItem(MenuItem):
    def is_shown(self, request: object) -> bool:
        return bool(request.user.has_perm("alerts.view_alert"))  # type: ignore[attr-defined]


@hooks.register("register_admin_menu_item")
def register_warnings_menu_item() -> MenuItem:
    return WarningsMenuItem(_("Warnings"), reverse("alerts_index"), icon_name="warning", order=100)
