"""The areas map in the back office."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.areas.models import AdminUnit, HazardZone, WardSetting


class AreasMapView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "areas.view_adminunit"
    template_name = "areas/admin/map.html"
    page_title = _("Areas map")
    header_icon = "site"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": _("Areas map")},
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["ward"] = WardSetting.load(request_or_site=self.request).ward
        return context


def areas_geojson(request: HttpRequest) -> JsonResponse:
    """Residential groups and hazard zones of the ward served, as one FeatureCollection."""
    if not request.user.has_perm("areas.view_adminunit"):
        return JsonResponse({"error": "forbidden"}, status=403)
    ward = WardSetting.load(request_or_site=request).ward
    features: list[dict[str, Any]] = []
    if ward is not None:
        groups = AdminUnit.objects.groups().filter(parent=ward, geometry__isnull=False)
        for unit in groups:
            features.append(
                {
                    "type": "Feature",
                    "geometry": unit.geometry,
                    "properties": {
                        "kind": "group",
                        "code": unit.code,
                        "name": unit.name,
                        "households": unit.households,
                        "population": unit.population,
                        "vulnerable": unit.vulnerable_people,
                    },
                }
            )
        for zone in HazardZone.objects.filter(commune=ward, geometry__isnull=False):
            features.append(
                {
                    "type": "Feature",
                    "geometry": zone.geometry,
                    "properties": {
                        "kind": "zone",
                        "hazard": zone.hazard,
                        "code": zone.code,
                        "name": zone.name,
                        "hazard_label": str(zone.get_hazard_display()),
                    },
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})
