"""Back-office screens for the radio officer: clusters on a map, device settings, recordings,
immediate announcements (phone-friendly) and the play log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.areas.models import AdminUnit
from pctt.core.text import vi_sort_key
from pctt.dispatch.models import LoudspeakerCluster
from pctt.loudspeakers import actions, maps
from pctt.loudspeakers.forms import AnnouncementForm, DeviceForm, RecordingForm
from pctt.loudspeakers.models import ClusterDevice, HealthAlert, PlayLog, Recording


def _crumbs(label: Any) -> list[dict[str, Any]]:
    return [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse_lazy("loudspeakers_clusters"), "label": _("Loudspeakers")},
        {"url": "", "label": label},
    ]


class ClustersView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "loudspeakers.view_clusterdevice"
    template_name = "loudspeakers/admin/clusters.html"
    page_title = _("Loudspeaker clusters")
    header_icon = "radio-full"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": _("Loudspeakers")},
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for cluster in LoudspeakerCluster.objects.filter(device__isnull=True):
            actions.device_for(cluster)
        # A ward has tens of clusters, not thousands: sorting in Python gives the Vietnamese
        # order (Ă after A, Đ after D) that the database's collation does not.
        devices = sorted(
            ClusterDevice.objects.select_related("cluster", "cluster__area", "hazard_zone"),
            key=lambda device: vi_sort_key(device.cluster.name),
        )
        ward_ids = {d.cluster.area.parent_id for d in devices}
        groups = list(AdminUnit.objects.groups().filter(parent_id__in=ward_ids))
        context["map"] = maps.clusters_svg(devices, groups)
        context["rows"] = [(d, maps.state_label(d.state)) for d in devices]
        context["alerts"] = HealthAlert.objects.filter(resolved_at__isnull=True).select_related(
            "cluster"
        )
        return context


class DeviceView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "loudspeakers.change_clusterdevice"
    template_name = "loudspeakers/admin/device.html"
    form_class = DeviceForm
    header_icon = "radio-full"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        cluster = get_object_or_404(LoudspeakerCluster, pk=kwargs["pk"])
        self.device = actions.device_for(cluster)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.device.cluster)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return _crumbs(self.device.cluster.controller_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.device}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        context["state"] = maps.state_label(self.device.state)
        context["alerts"] = HealthAlert.objects.filter(cluster=self.device.cluster)[:20]
        context["schedules"] = self.device.cluster.schedules.order_by("-version")[:5]
        return context

    def form_valid(self, form: DeviceForm) -> HttpResponse:
        try:
            actions.configure_device(form.instance, user=self.request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Cluster settings saved."))
        return HttpResponseRedirect(reverse("loudspeakers_clusters"))


class RecordingsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "loudspeakers.view_recording"
    template_name = "loudspeakers/admin/recordings.html"
    form_class = RecordingForm
    page_title = _("Recordings")
    header_icon = "media"
    breadcrumbs_items = _crumbs(_("Recordings"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recordings"] = Recording.objects.order_by("-created_at")[:100]
        return context

    def form_valid(self, form: RecordingForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            actions.upload_recording(
                title=form.cleaned_data["title"],
                data=upload.read(),
                filename=upload.name or "",
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Recording checked, normalised and saved."))
        return HttpResponseRedirect(reverse("loudspeakers_recordings"))


class AnnounceView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "loudspeakers.add_announcement"
    template_name = "loudspeakers/admin/announce.html"
    form_class = AnnouncementForm
    page_title = _("Announce now")
    header_icon = "radio-full"
    breadcrumbs_items = _crumbs(_("Announce now"))

    def form_valid(self, form: AnnouncementForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            recording = data["recording"]
            if data["recording_file"] is not None:
                upload = data["recording_file"]
                recording = actions.upload_recording(
                    title=(data["text"] or upload.name or "")[:80] or str(_("Announcement")),
                    data=upload.read(),
                    filename=upload.name or "",
                    user=self.request.user,
                )
            actions.announce(
                user=self.request.user,
                clusters=list(data["clusters"]),
                text=data["text"],
                recording=recording,
                voice=data["voice"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Sent to %(n)d clusters; it plays after what they are playing.")
            % {"n": len(data["clusters"])},
        )
        return HttpResponseRedirect(reverse("loudspeakers_announce"))


class PlayLogView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "loudspeakers.view_playlog"
    template_name = "loudspeakers/admin/playlog.html"
    page_title = _("Play log")
    header_icon = "list-ul"
    breadcrumbs_items = _crumbs(_("Play log"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = PlayLog.objects.select_related("cluster")
        reference = self.request.GET.get("warning", "")[:100]
        if reference:
            entries = entries.filter(reference__startswith=reference)
        context["reference"] = reference
        context["entries"] = entries[:300]
        context["warnings"] = (
            PlayLog.objects.exclude(reference="")
            .values("reference", "title")
            .annotate(clusters=Count("cluster", distinct=True), seconds=Sum("duration_s"))
            .order_by("-reference")[:20]
        )
        return context
