"""Wagtail admin for upstream feeds and their warnings (registered by alerts.wagtail_hooks).

Feeds are edited by administrators; upstream warnings are read-only. Those that concern the
ward and are still in force offer "Relay to our residents", which opens a prefilled draft.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from pctt.alerts.models import CapFeed, UpstreamAlert

RELAY_URL_NAME = "alerts_relay_upstream"


def local_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def relay_url(upstream: UpstreamAlert) -> str | None:
    """Where "Relay to our residents" goes, for warnings worth relaying; None otherwise."""
    if not is_relayable(upstream):
        return None
    try:
        return reverse(RELAY_URL_NAME, args=[upstream.pk])
    except NoReverseMatch:  # the relay view is not installed yet
        return None


def is_relayable(upstream: UpstreamAlert) -> bool:
    in_force = upstream.expires is None or upstream.expires > timezone.now()
    return (
        upstream.intersects_ward
        and upstream.state == UpstreamAlert.State.ACTIVE
        and upstream.status == "Actual"
        and upstream.msg_type in ("Alert", "Update")
        and in_force
    )


class LocalTimeColumn(Column):
    """dd/mm/yyyy HH:MM in the installation's time zone."""

    def get_value(self, instance: Any) -> str:
        return local_time(getattr(instance, self.accessor))


class StateColumn(Column):
    """The state, with "expired" added when the warning's time has passed."""

    def get_value(self, instance: Any) -> str:
        label = str(instance.get_state_display())
        if instance.expires and instance.expires <= timezone.now():
            return f"{label} ({_('expired')})"
        return label


class RelayColumn(Column):
    def get_value(self, instance: Any) -> str:
        url = relay_url(instance)
        if url is None:
            return ""
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            url,
            _("Relay to our residents"),
        )


class UpstreamInspectView(InspectView):
    @property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        url = relay_url(self.object)
        if url is not None:
            buttons.append(HeaderButton(_("Relay to our residents"), url=url, icon_name="mail"))
        return buttons


class CapFeedViewSet(ModelViewSet):
    model = CapFeed
    icon = "link"
    menu_label = _("Feeds")
    # Help on the panels, not the model: no migration for a wording.
    panels = [
        FieldPanel("name", help_text=_("Whose warnings these are, e.g. Đài KTTV tỉnh.")),
        FieldPanel(
            "url",
            help_text=_(
                "The feed's full address as the sender gives it, with https:// or http://."
            ),
        ),
        FieldPanel(
            "interval_minutes",
            help_text=_("How often to fetch new warnings, in minutes, e.g. 5."),
        ),
        FieldPanel("is_enabled", help_text=_("Untick to stop fetching it without deleting it.")),
    ]
    list_display = [
        "name",
        "url",
        "is_enabled",
        "last_status",
        LocalTimeColumn("last_polled_at", label=_("last polled")),
        LocalTimeColumn("last_success_at", label=_("last success")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "url",
        "interval_minutes",
        "is_enabled",
        "last_polled_at",
        "last_success_at",
        "last_status",
        "last_error",
    ]


class UpstreamAlertViewSet(ModelViewSet):
    """Read-only: these are other authorities' messages."""

    model = UpstreamAlert
    icon = "warning"
    menu_label = _("Upstream warnings")
    list_display = [
        LocalTimeColumn("sent", label=_("sent")),
        "sender",
        "headline",
        "severity",
        StateColumn("state", label=_("state")),
        RelayColumn("relay", label=""),
    ]
    list_filter = ["intersects_ward", "state"]
    search_fields = ["headline", "event", "area_desc", "sender"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = UpstreamInspectView
    inspect_view_fields = [
        "feed",
        "sender",
        "identifier",
        "sent",
        "msg_type",
        "status",
        "references",
        "event",
        "headline",
        "urgency",
        "severity",
        "certainty",
        "expires",
        "area_desc",
        "intersects_ward",
        "state",
        "received_at",
    ]
    _READ_ONLY_URLS = ("add", "edit", "delete", "copy", "history", "usage")

    def get_queryset(self, request: Any) -> Any:
        return UpstreamAlert.objects.select_related("feed")

    def get_common_view_kwargs(self, **kwargs: Any) -> Any:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in self._READ_ONLY_URLS:
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self) -> Any:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def url_finder_class(self) -> Any:
        finder = super().url_finder_class
        finder.edit_url_name = self.get_url_name("inspect")
        return finder


class UpstreamGroup(ViewSetGroup):
    menu_label = _("Upstream warnings")
    menu_icon = "warning"
    menu_order = 250
    items = (
        CapFeedViewSet("upstream_feeds"),
        UpstreamAlertViewSet("upstream_alerts"),
    )
