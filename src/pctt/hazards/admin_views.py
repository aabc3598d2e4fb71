"""Back-office screens: stations on a map with their level colours, a chart per station,
the operators' proposals, and the quarantine of refused readings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
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
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.hazards import actions, status
from pctt.hazards.core.chart import svg_chart
from pctt.hazards.models import Proposal, QuarantinedReading, Station

LEVEL_CLASSES = {0: "level-0", 1: "level-1", 2: "level-2", 3: "level-3"}
CHART_WINDOW = timedelta(days=3)


def _home(label: Any) -> list[dict[str, Any]]:
    return [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": label},
    ]


def stations_map_svg(stations: list[Station]) -> SafeString:
    """Stations with coordinates as coloured dots (no tiles, no JavaScript)."""
    placed = [s for s in stations if s.lon is not None and s.lat is not None]
    if not placed:
        return mark_safe("")
    lons = [s.lon for s in placed if s.lon is not None]
    lats = [s.lat for s in placed if s.lat is not None]
    pad = 0.01
    min_lon, max_lon, min_lat, max_lat = (
        min(lons) - pad,
        max(lons) + pad,
        min(lats) - pad,
        max(lats) + pad,
    )
    width, height = 400, 260
    dots = []
    for s in placed:
        assert s.lon is not None and s.lat is not None
        cx = (s.lon - min_lon) / (max_lon - min_lon) * width
        cy = (max_lat - s.lat) / (max_lat - min_lat) * height
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
        '<svg class="stations-map" viewBox="-20 -20 {} {}" role="img">{}</svg>',
        width + 120,
        height + 40,
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
        stations = list(Station.objects.all())
        context["rows"] = [(s, status.describe(s)) for s in stations]
        context["map"] = stations_map_svg(stations)
        context["open_proposals"] = Proposal.objects.filter(state=Proposal.State.OPEN).count()
        return context


class ThresholdForm(forms.Form):
    bd1 = forms.FloatField(label=_("alarm level I (BĐ1)"))
    bd2 = forms.FloatField(label=_("alarm level II (BĐ2)"))
    bd3 = forms.FloatField(label=_("alarm level III (BĐ3)"))
    source_document = forms.CharField(label=_("source document"), max_length=200)
    source_article = forms.CharField(label=_("article or annex"), max_length=200, required=False)
    source_note = forms.CharField(
        label=_("note on the source"), required=False, widget=forms.Textarea
    )


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
