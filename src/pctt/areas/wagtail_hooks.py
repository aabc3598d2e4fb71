from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.areas.admin_views import AreasMapView, areas_geojson
from pctt.areas.models import AdminUnit, HazardZone

_COUNT_FIELDS = ["households", "population", "elderly_alone", "disabled", "young_children"]


class AdminUnitViewSet(ModelViewSet):
    model = AdminUnit
    icon = "list-ul"
    menu_label = _("Administrative units")
    list_display = ["name", "code", "level", "parent", "households", "population"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    # Geometry comes in through `pctt areas import` (validated); counts are kept by hand.
    form_fields = ["name", "valid_from", "valid_to", *_COUNT_FIELDS, "source"]
    copy_view_enabled = False
    inspect_view_enabled = True


class HazardZoneViewSet(ModelViewSet):
    model = HazardZone
    icon = "warning"
    menu_label = _("Hazard zones")
    list_display = ["name", "code", "hazard", "commune", "households"]
    list_filter = ["hazard"]
    search_fields = ["name", "code"]
    form_fields = ["name", "hazard", "households", "population", "valid_from", "valid_to", "source"]
    copy_view_enabled = False
    inspect_view_enabled = True


class AreasGroup(ViewSetGroup):
    menu_label = _("Areas")
    menu_icon = "site"
    menu_order = 200
    items = (AdminUnitViewSet, HazardZoneViewSet)


@hooks.register("register_admin_viewset")
def register_areas_viewsets() -> ViewSetGroup:
    return AreasGroup()


@hooks.register("register_admin_urls")
def register_map_urls() -> list[object]:
    return [
        path("areas/map/", AreasMapView.as_view(), name="areas_map"),
        path("areas/map.geojson", areas_geojson, name="areas_map_geojson"),
    ]


class MapMenuItem(MenuItem):
    def is_shown(self, request: object) -> bool:
        return bool(request.user.has_perm("areas.view_adminunit"))  # type: ignore[attr-defined]


@hooks.register("register_admin_menu_item")
def register_map_menu_item() -> MenuItem:
    return MapMenuItem(_("Areas map"), reverse("areas_map"), icon_name="site", order=190)
