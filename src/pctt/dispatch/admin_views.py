"""Back-office delivery status: the broadcasts, and for each one the counts per channel and
residential group, and the residents not reached on any channel (the follow-up list).

Addresses are masked unless the user may see subscribers (administrators).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.areas.models import AdminUnit
from pctt.dispatch.models import Broadcast, Delivery
from pctt.dispatch.models.outbox import Channel
from pctt.dispatch.reports import broadcast_summary, unreached_queryset, unreached_row

VIEW = "dispatch.view_broadcast"
REVEAL = "dispatch.view_subscriber"
STATUSES = [
    (Delivery.Status.QUEUED, Delivery.Status.QUEUED.label),
    (Delivery.Status.SENDING, Delivery.Status.SENDING.label),
    (Delivery.Status.SENT, Delivery.Status.SENT.label),
    (Delivery.Status.DELIVERED, Delivery.Status.DELIVERED.label),
    (Delivery.Status.FAILED, Delivery.Status.FAILED.label),
    (Delivery.Status.WITHDRAWN, Delivery.Status.WITHDRAWN.label),
]
HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
INDEX = {"url": reverse_lazy("dispatch_delivery_index"), "label": gettext_lazy("Delivery status")}


class _Page(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    header_icon = "mail"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(VIEW):
            raise PermissionDenied(VIEW)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


def _row(label: str, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "label": label,
        "counts": [counts.get(status, 0) for status, _label in STATUSES],
        "total": sum(counts.values()),
    }


class IndexView(_Page):
    template_name = "dispatch/admin/delivery_index.html"
    page_title = gettext_lazy("Delivery status")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Delivery status")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(Broadcast.objects.order_by("-created_at", "-pk"), 50).get_page(
            self.request.GET.get("p")
        )
        ids = [b.pk for b in page]
        counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
        for broadcast_id, status, n in (
            Delivery.objects.filter(broadcast_id__in=ids)
            .values_list("broadcast_id", "status")
            .annotate(n=Count("id"))
        ):
            counts[broadcast_id][status] = n
        context.update(
            page=page,
            statuses=STATUSES,
            rows=[(b, _row(b.reference, counts[b.pk])) for b in page],
        )
        return context


class BroadcastView(_Page):
    template_name = "dispatch/admin/delivery.html"

    def get_page_title(self) -> str:
        return str(self.broadcast.reference)

    @property
    def breadcrumbs_items(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [HOME, INDEX, {"url": "", "label": self.broadcast.reference}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.broadcast = get_object_or_404(Broadcast, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        summary = broadcast_summary(self.broadcast)
        channels = dict(Channel.choices)
        groups = dict(
            AdminUnit.objects.filter(pk__in=[g for g in summary["by_group"] if g]).values_list(
                "pk", "name"
            )
        )
        by_group = sorted(
            (_row(groups.get(g, "") if g else "", c) for g, c in summary["by_group"].items()),
            key=lambda r: (r["label"] == "", r["label"]),
        )
        reveal = self.request.user.has_perm(REVEAL)
        page = Paginator(unreached_queryset(self.broadcast), 100).get_page(
            self.request.GET.get("p")
        )
        versions = Broadcast.objects.filter(
            reference__startswith=self.broadcast.reference.rsplit(":", 1)[0] + ":"
        ).order_by("created_at", "pk")
        context.update(
            broadcast=self.broadcast,
            statuses=STATUSES,
            totals=_row("", summary["totals"]),
            by_channel=[
                _row(str(channels.get(ch, ch)), c)
                for ch, c in sorted(summary["by_channel"].items())
            ],
            by_group=by_group,
            unreached=[unreached_row(s, reveal=reveal) for s in page],
            unreached_page=page,
            reveal=reveal,
            versions=versions if versions.count() > 1 else [],
        )
        return context
