"""Back office: the radio officer's menu (clusters map, programmes, recordings, announce now,
play log). Programme saves go through ``actions.record_programme_change`` (version, audit)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.formats.admin_index import ViOrderedIndexView
from pctt.loudspeakers import actions, admin_views
from pctt.loudspeakers.forms import ProgrammeForm
from pctt.loudspeakers.models import Programme


class _Versioned:
    request: Any

    def save_instance(self) -> Programme:
        instance: Programme = super().save_instance()  # type: ignore[misc]
        actions.record_programme_change(instance, user=self.request.user)
        return instance


class ProgrammeCreateView(_Versioned, CreateView):
    pass


class ProgrammeEditView(_Versioned, EditView):
    pass


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    index_view_class = ViOrderedIndexView
    icon = "date"
    name = "loudspeakers_programme"
    url_prefix = "loudspeakers/programmes"
    menu_label = _("Programmes")
    add_to_admin_menu = False
    list_display = ["name", "active", "version", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name"]
    add_view_class = ProgrammeCreateView
    edit_view_class = ProgrammeEditView
    copy_view_enabled = False
    edit_handler = ObjectList(Programme.panels, base_form_class=ProgrammeForm)


programme_viewset = ProgrammeViewSet()


@hooks.register("register_admin_viewset")
def register_programme_viewset() -> ModelViewSet:
    return programme_viewset


@hooks.register("register_admin_urls")
def register_loudspeaker_urls() -> list[object]:
    return [
        path("loudspeakers/", admin_views.ClustersView.as_view(), name="loudspeakers_clusters"),
        path(
            "loudspeakers/clusters/<int:pk>/",
            admin_views.DeviceView.as_view(),
            name="loudspeakers_device",
        ),
        path(
            "loudspeakers/recordings/",
            admin_views.RecordingsView.as_view(),
            name="loudspeakers_recordings",
        ),
        path(
            "loudspeakers/announce/",
            admin_views.AnnounceView.as_view(),
            name="loudspeakers_announce",
        ),
        path("loudspeakers/log/", admin_views.PlayLogView.as_view(), name="loudspeakers_playlog"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(self.permission))


@hooks.register("register_admin_menu_item")
def register_loudspeaker_menu() -> MenuItem:
    items = [
        PermissionMenuItem(
            _("Clusters and map"),
            reverse("loudspeakers_clusters"),
            icon_name="radio-full",
            order=1,
            permission="loudspeakers.view_clusterdevice",
        ),
        PermissionMenuItem(
            _("Announce now"),
            reverse("loudspeakers_announce"),
            icon_name="radio-full",
            order=2,
            permission="loudspeakers.add_announcement",
        ),
        PermissionMenuItem(
            _("Programmes"),
            reverse("loudspeakers_programme:index"),
            icon_name="date",
            order=3,
            permission="loudspeakers.view_programme",
        ),
        PermissionMenuItem(
            _("Recordings"),
            reverse("loudspeakers_recordings"),
            icon_name="media",
            order=4,
            permission="loudspeakers.view_recording",
        ),
        PermissionMenuItem(
            _("Play log"),
            reverse("loudspeakers_playlog"),
            icon_name="list-ul",
            order=5,
            permission="loudspeakers.view_playlog",
        ),
    ]
    return SubmenuMenuItem(_("Loudspeakers"), Menu(items=items), icon_name="radio-full", order=260)
