"""Back office: channel providers, loudspeaker clusters, subscribers (masked), broadcasts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.dispatch import admin_views
from pctt.dispatch.models import Broadcast, ChannelProvider, LoudspeakerCluster, Subscriber


class ChannelProviderViewSet(ModelViewSet):
    model = ChannelProvider
    icon = "cogs"
    menu_label = _("Channel providers")
    list_display = ["name", "channel", "kind", "priority", "enabled", "rate_per_second"]
    list_filter = ["channel", "kind", "enabled"]
    form_fields = ["name", "channel", "kind", "priority", "enabled", "rate_per_second", "options"]
    copy_view_enabled = False


class LoudspeakerClusterViewSet(ModelViewSet):
    model = LoudspeakerCluster
    icon = "media"
    menu_label = _("Loudspeaker clusters")
    list_display = ["name", "controller_id", "area", "protocol", "supports_priority", "enabled"]
    list_filter = ["protocol", "enabled"]
    search_fields = ["name", "controller_id"]
    form_fields = [
        "name",
        "controller_id",
        "area",
        "protocol",
        "supports_priority",
        "receives_drills",
        "enabled",
    ]
    copy_view_enabled = False


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "group"
    menu_label = _("Subscribers")
    list_display = ["__str__", "residential_group", "receives_drills", "created_at"]
    list_filter = ["receives_drills", "is_fictional"]
    form_fields = [
        "phone",
        "email",
        "app_id",
        "residential_group",
        "lon",
        "lat",
        "language",
        "receives_drills",
    ]
    copy_view_enabled = False


class BroadcastViewSet(ModelViewSet):
    model = Broadcast
    icon = "mail"
    menu_label = _("Broadcasts")
    list_display = ["reference", "status", "priority", "fan_out", "recipients", "created_at"]
    list_filter = ["status", "priority"]
    form_fields = ["reference"]
    add_view_enabled = False
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
