"""Back office: channel providers, loudspeaker clusters, subscribers (masked), broadcasts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.accounts.admin_policies import refuse_in_admin
from pctt.dispatch import admin_views
from pctt.dispatch.models import Broadcast, ChannelProvider, LoudspeakerCluster, Subscriber
from pctt.formats.admin_index import ViOrderedIndexView


class ChannelProviderViewSet(ModelViewSet):
    model = ChannelProvider
    index_view_class = ViOrderedIndexView
    icon = "cogs"
    menu_label = _("Channel providers")
    list_display = ["name", "channel", "kind", "priority", "enabled", "rate_per_second"]
    list_filter = ["channel", "kind", "enabled"]
    # Help is given here, on the panels, not on the models: no migration for a wording.
    panels = [
        FieldPanel(
            "name",
            help_text=_("A short name: letters without marks, digits and -, e.g. sms-viettel."),
        ),
        FieldPanel(
            "channel", help_text=_("What it sends: SMS, e-mail, messaging app or loudspeaker.")
        ),
        FieldPanel("kind", help_text=_("How it connects to the operator; ask your supplier.")),
        FieldPanel("priority"),
        FieldPanel(
            "enabled", help_text=_("Untick to stop sending through it without deleting it.")
        ),
        FieldPanel(
            "rate_per_second",
            help_text=_("The most messages a second your contract allows, e.g. 20."),
        ),
        FieldPanel("options"),
    ]
    copy_view_enabled = False


class LoudspeakerClusterViewSet(ModelViewSet):
    model = LoudspeakerCluster
    index_view_class = ViOrderedIndexView
    icon = "media"
    menu_label = _("Loudspeaker clusters")
    list_display = ["name", "controller_id", "area", "protocol", "supports_priority", "enabled"]
    list_filter = ["protocol", "enabled"]
    search_fields = ["name", "controller_id"]
    panels = [
        FieldPanel("name", help_text=_("The name people use, e.g. Cụm loa tổ dân phố 3.")),
        FieldPanel(
            "controller_id",
            help_text=_("The id written on the controller or given by the installer, e.g. LOA-03."),
        ),
        FieldPanel("area", help_text=_("The residential group or ward the loudspeakers reach.")),
        FieldPanel("protocol", help_text=_("How the controller is reached; ask the installer.")),
        FieldPanel(
            "supports_priority",
            help_text=_("Tick if a warning can interrupt the programme being played."),
        ),
        FieldPanel("receives_drills", help_text=_("Tick if it also plays drill messages.")),
        FieldPanel("enabled", help_text=_("Untick to stop sending to it without deleting it.")),
    ]
    copy_view_enabled = False


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "group"
    menu_label = _("Subscribers")
    list_display = ["__str__", "residential_group", "receives_drills", "created_at"]
    list_filter = ["receives_drills", "is_fictional"]
    panels = [
        FieldPanel("phone", help_text=_("A Vietnamese mobile number, e.g. 0912 345 678.")),
        FieldPanel("email", help_text=_("Optional, e.g. ten@example.com.")),
        FieldPanel(
            "app_id", help_text=_("Optional: the id the messaging app gives; usually left empty.")
        ),
        FieldPanel("residential_group", help_text=_("Where the person lives; warnings follow it.")),
        FieldPanel(
            "lon", help_text=_("Optional: longitude of the home, with a dot, e.g. 105.8342.")
        ),
        FieldPanel("lat", help_text=_("Optional: latitude of the home, with a dot, e.g. 21.0278.")),
        FieldPanel("language", help_text=_("vi for Vietnamese (the default).")),
        FieldPanel("receives_drills"),
    ]
    copy_view_enabled = False


# Broadcasts are made by the warning workflow; their reference ties updates and cancels to
# the warning, so the back office shows them and changes nothing (pctt.accounts.admin_policies).
refuse_in_admin(Broadcast, "add", "change", "delete")


class BroadcastViewSet(ModelViewSet):
    model = Broadcast
    icon = "mail"
    menu_label = _("Broadcasts")
    list_display = ["reference", "status", "priority", "fan_out", "recipients", "created_at"]
    list_filter = ["status", "priority"]
    panels = [
        FieldPanel("reference", help_text=_("The name the broadcast is listed under.")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "status",
        "priority",
        "fan_out",
        "recipients",
        "withdrawn_at",
    ]


class DispatchGroup(ViewSetGroup):
    menu_label = _("Recipients and delivery")
    menu_icon = "mail"
    menu_order = 300
    items = (SubscriberViewSet, LoudspeakerClusterViewSet, ChannelProviderViewSet, BroadcastViewSet)


@hooks.register("register_admin_viewset")
def register_dispatch_viewsets() -> ViewSetGroup:
    return DispatchGroup()


class DeliveryMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(admin_views.VIEW))


@hooks.register("register_admin_urls")
def register_delivery_urls() -> list[Any]:
    return [
        path("delivery/", admin_views.IndexView.as_view(), name="dispatch_delivery_index"),
        path("delivery/<int:pk>/", admin_views.BroadcastView.as_view(), name="dispatch_delivery"),
    ]


@hooks.register("register_admin_menu_item")
def register_delivery_menu_item() -> MenuItem:
    return DeliveryMenuItem(
        _("Delivery status"), reverse("dispatch_delivery_index"), icon_name="mail", order=301
    )
