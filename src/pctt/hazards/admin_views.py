"""Back-office screens: stations on a map with their level colours, a chart per station,
the operators' proposals, and the quarantine of refused readings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import shapely
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from shapely.geometry import Point
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.areas.models import AdminUnit
from pctt.areas.svg import WIDTH as MAP_WIDTH
from pctt.areas.svg import _path as outline_path
from pctt.areas.svg import _Projection as Projection
from pctt.hazards import actions, risk, status
from pctt.hazards.core.chart import svg_chart
from pctt.hazards.core.risk_rules import flood_risk_level, rule_data
from pctt.hazards.forms import RegionClassForm, RiskLevelForm, ThresholdForm
from pctt.hazards.models import Proposal, QuarantinedReading, RiskLevel, Station

LEVEL_CLASSES = {0: "level-0", 1: "level-1", 2: "level-2", 3: "level-3"}
CHART_WINDOW = timedelta(days=3)


def _home(label: Any) -> list[dict[str, Any]]:
    return [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": label},
    ]


def stations_map_svg(stations: list[Station], wards: list[AdminUnit] | None = None) -> SafeString:
    """Stations with coordinates as coloured dots over the outline of their wards, where a
    ward has a geometry; without one, the dots alone (no tiles, no JavaScript)."""
    placed = [s for s in stations if s.lon is not None and s.lat is not None]
    outlines = [(w, shape) for w in wards or [] if (shape := w.shape()) is not None]
    if not placed and not outlines:
        return mark_safe("")
    every = [shape for _w, shape in outlines] + [Point(s.lon, s.lat) for s in placed]
    min_lon, min_lat, max_lon, max_lat = shapely.GeometryCollection(every).bounds
    pad = max(max_lon - min_lon, max_lat - min_lat, 0.01) * 0.06
    projection = Projection((min_lon - pad, min_lat - pad, max_lon + pad, max_lat + pad))
    paths = [
        format_html(
            '<path class="ward-outline" d="{}" fill="#fff" stroke="#5b6b7b" '
            'stroke-width="1.5"><title>{}</title></path>',
            outline_path(shape, projection),
            ward.name,
        )
        for ward, shape in outlines
    ]
    dots = []
    for s in placed:
        assert s.lon is not None and s.lat is not None
        cx, cy = (float(v) for v in projection.point(s.lon, s.lat).split(","))
        dots.append(
            format_html(
                '<g class="station {}"><circle cx="{}" cy="{}" r="9"/>'
                '<text x="{}" y="{}">{}</text><title>{}</title></g>',
                LEVEL_CLASSES.get(s.alarm_level, "level-0"),
                f"{cx:.1f}",
                f"{cy:.1f}",
                f"{cx + 12:.1f}",
                f"{cy + 4:.1f}",
                s.code,
                s.name,
            )
        )
    return format_html(
        '<svg class="stations-map" viewBox="-20 -20 {} {}" role="img">{}{}</svg>',
        MAP_WIDTH + 160,
        f"{projection.height + 40:.0f}",
        mark_safe("".join(paths)),  # noqa: S308 - each part built with format_html
        mark_safe("".join(dots)),  # noqa: S308 - each part built with format_html
    )


class StationsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "hazards.view_station"
    template_name = "hazards/admin/stations.html"
    page_title = _("Stations")
    header_icon = "pick"
    breadcrumbs_items = _home(_("Stations"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stations = list(Station.objects.select_related("ward"))
        wards = list({s.ward_id: s.ward for s in stations if s.ward is not None}.values())
        context["rows"] = [(s, status.describe(s)) for s in stations]
        context["map"] = stations_map_svg(stations, wards)
        context["open_proposals"] = Proposal.objects.filter(state=Proposal.State.OPEN).count()
        return context


class StationDetailView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "hazards.view_station"
    template_name = "hazards/admin/station.html"
    header_icon = "pick"

    def get_page_title(self) -> str:
        return str(self.station)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.station = get_object_or_404(Station, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("hazards_stations"), "label": _("Stations")},
            {"url": "", "label": self.station.code},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        station = self.station
        threshold_set = station.threshold_set()
        rows = station.observations.order_by("observed_at")
        if station.last_observed_at is not None:
            rows = rows.filter(observed_at__gte=station.last_observed_at - CHART_WINDOW)
        observed = [(o.observed_at, o.value) for o in rows if not o.is_forecast]
        forecast = [(o.observed_at, o.value) for o in rows if o.is_forecast]
        context.update(
            station=station,
            status=status.describe(station),
            threshold_set=threshold_set,
            history=station.threshold_sets.all()[:10],
            chart=mark_safe(  # noqa: S308 - svg_chart escapes every text it writes
                svg_chart(
                    observed,
                    forecast,
                    threshold_set.thresholds() if threshold_set else None,
                    title=str(station),
                    unit=station.unit,
                )
            ),
            form=kwargs.get("form") or ThresholdForm(),
            can_set_thresholds=self.request.user.has_perm("hazards.add_thresholdset"),
            region_form=RegionClassForm(
                initial={
                    "region_class": station.region_class,
                    "region_class_source": station.region_class_source,
                }
            ),
            proposals=station.proposals.all()[:10],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ThresholdForm(request.POST)
        if form.is_valid():
            try:
                actions.set_thresholds(self.station, user=request.user, **form.cleaned_data)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Alarm thresholds saved with their source."))
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class RegionClassView(PermissionRequiredMixin, View):
    """The region class of Decision 18/2021's annex for one station, with its source."""

    permission_required = "hazards.add_thresholdset"

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        station = get_object_or_404(Station, code=code)
        form = RegionClassForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.values()))
        else:
            try:
                actions.set_region_class(
                    station,
                    user=request.user,
                    region_class=form.cleaned_data["region_class"],
                    source=form.cleaned_data["region_class_source"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Region class saved with its source."))
        return HttpResponseRedirect(reverse("hazards_station", args=[station.code]))


def rule_answers(stations: list[Station]) -> list[dict[str, Any]]:
    """What the cited flood rule table says for each gauge's latest reading, or that the
    level must come from the official bulletin."""
    rows = []
    for station in stations:
        threshold_set = station.threshold_set()
        answer = None
        if threshold_set is not None and station.last_value is not None:
            answer = flood_risk_level(
                station.last_value, threshold_set.thresholds(), station.region_class
            )
        rows.append({"station": station, "answer": answer})
    return rows


class RiskLevelsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Risk levels as the official bulletins give them, entered with their source; a new or
    higher level proposes a warning draft (see `risk.record`)."""

    permission_required = "hazards.view_risklevel"
    template_name = "hazards/admin/risk_levels.html"
    page_title = _("Risk levels")
    header_icon = "warning"
    breadcrumbs_items = _home(_("Risk levels"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = RiskLevel.objects.select_related("area", "decided_by")
        latest: dict[tuple[str, int], RiskLevel] = {}
        for entry in entries:
            latest.setdefault((entry.hazard, entry.area_id), entry)
        hazards = dict(risk.HAZARDS)
        context.update(
            current=[(hazards.get(e.hazard, e.hazard), e) for e in latest.values()],
            history=[(hazards.get(e.hazard, e.hazard), e) for e in entries[:50]],
            form=kwargs.get("form") or RiskLevelForm(),
            can_enter=self.request.user.has_perm("hazards.add_risklevel"),
            rules=rule_answers(
                list(Station.objects.filter(kind=Station.Kind.WATER_LEVEL).order_by("code"))
            ),
            rule_version=rule_data()["version"],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("hazards.add_risklevel"):
            raise PermissionDenied("hazards.add_risklevel")
        form = RiskLevelForm(request.POST)
        if form.is_valid():
            try:
                entry = actions.record_risk_level(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Risk level %(level)s recorded with its source.") % {"level": entry.level},
                )
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProposalsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "hazards.view_proposal"
    template_name = "hazards/admin/proposals.html"
    page_title = _("Warning proposals")
    header_icon = "warning"
    breadcrumbs_items = _home(_("Warning proposals"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposals = Proposal.objects.select_related("station", "alert")
        context["open"] = proposals.filter(state=Proposal.State.OPEN)
        context["closed"] = proposals.exclude(state=Proposal.State.OPEN)[:30]
        return context


class DismissView(PermissionRequiredMixin, View):
    permission_required = "hazards.change_proposal"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = get_object_or_404(Proposal, pk=pk)
        try:
            actions.dismiss_proposal(
                proposal, user=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("hazards_proposals"))


class QuarantineView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "hazards.view_quarantinedreading"
    template_name = "hazards/admin/quarantine.html"
    page_title = _("Refused readings")
    header_icon = "warning"
    breadcrumbs_items = _home(_("Refused readings"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = QuarantinedReading.objects.all()[:200]
        return context
