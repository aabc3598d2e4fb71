from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.accounts.admin_policies import refuse_in_admin
from pctt.areas.admin_views import AreasMapView, areas_geojson
from pctt.areas.models import AdminUnit, HazardZone
from pctt.formats.admin_index import ViOrderedIndexView

# Help on the panels, not the models: no migration for a wording.
_NAME_HELP = _("The official name, with marks, e.g. Tổ dân phố 3.")
_VALID_FROM_HELP = _("Optional: the date it took effect, e.g. that of the merger decision.")
_VALID_TO_HELP = _("Leave empty while it still applies; else the date it ended.")
_SOURCE_HELP = _("Where the figures come from, e.g. Báo cáo rà soát hộ dân 2026.")
_COUNT_HELP = {
    "households": _("The number of households, from the latest count; empty if unknown."),
    "population": _("The number of residents, from the latest count; empty if unknown."),
    "elderly_alone": _("Elderly people living on their own, who need help to evacuate."),
    "disabled": _("People with disabilities, who need help to evacuate."),
    "young_children": _("Small children, whose families need help to evacuate."),
}


class AdminUnitViewSet(ModelViewSet):
    model = AdminUnit
    index_view_class = ViOrderedIndexView
    icon = "list-ul"
    menu_label = _("Administrative units")
    list_display = ["name", "code", "level", "parent", "households", "population"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    # Geometry comes in through `pctt areas import` (validated); counts are kept by hand.
    panels = [
        FieldPanel("name", help_text=_NAME_HELP),
        FieldPanel("valid_from", help_text=_VALID_FROM_HELP),
        FieldPanel("valid_to", help_text=_VALID_TO_HELP),
        *[FieldPanel(name, help_text=help_text) for name, help_text in _COUNT_HELP.items()],
        FieldPanel("source", help_text=_SOURCE_HELP),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True


# A hazard zone is an outline: it comes in through `pctt areas import` or the set-up wizard's
# map, both validated; the back office edits its figures only (pctt.accounts.admin_policies).
refuse_in_admin(HazardZone, "add")


class HazardZoneViewSet(ModelViewSet):
    model = HazardZone
    index_view_class = ViOrderedIndexView
    icon = "warning"
    menu_label = _("Hazard zones")
    list_display = ["name", "code", "hazard", "commune", "households"]
    list_filter = ["hazard"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name", help_text=_("The name people use, e.g. Khu trũng ven sông Cái.")),
        FieldPanel("hazard", help_text=_("What threatens the people living there.")),
        FieldPanel(
            "households", help_text=_("The number of households in the zone; empty if unknown.")
        ),
        FieldPanel(
            "population", help_text=_("The number of people living in the zone; empty if unknown.")
        ),
        FieldPanel("valid_from", help_text=_("Optional: the date the zone was mapped.")),
        FieldPanel("valid_to", help_text=_VALID_TO_HELP),
        FieldPanel("source", help_text=_("The map or survey the zone comes from.")),
    ]
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
