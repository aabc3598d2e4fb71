"""The roles of DESIGN.md as Django groups with permissions.

The base permissions are here; each app adds its own in `pctt.<app>.permissions`
(see `app_permissions`). A test fails when a role names a permission that does not exist.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction


class RoleKey(StrEnum):
    ADMINISTRATOR = "administrator"
    ALERT_OPERATOR = "alert_operator"
    ALERT_APPROVER = "alert_approver"
    EDITOR = "editor"
    CONTENT_REVIEWER = "content_reviewer"
    FOCAL_POINT = "focal_point"
    TRIAGE_OFFICER = "triage_officer"
    RADIO_OFFICER = "radio_officer"
    VIEWER = "viewer"


@dataclass(frozen=True)
class Role:
    key: RoleKey
    group_name: str  # shown to officials, so in Vietnamese
    permissions: tuple[str, ...]


_VIEW_AREAS = (
    "areas.view_adminunit",
    "areas.view_hazardzone",
    "hazards.view_station",
    "plans.view_organisation",
)
_ADMIN = ("wagtailadmin.access_admin",)
_VIEW_ALERTS = ("alerts.view_alert", "alerts.view_warningtemplate", "alerts.view_upstreamalert")
_DRAFT_ALERTS = (*_VIEW_ALERTS, "alerts.add_alert", "alerts.change_alert")

ROLES: dict[RoleKey, Role] = {
    role.key: role
    for role in [
        Role(
            RoleKey.ADMINISTRATOR,
            "Quản trị viên",
            _ADMIN
            + _VIEW_AREAS
            + (
                "areas.add_adminunit",
                "areas.change_adminunit",
                "areas.delete_adminunit",
                "areas.add_hazardzone",
                "areas.change_hazardzone",
                "areas.delete_hazardzone",
                "areas.change_wardsetting",
                "hazards.add_station",
                "hazards.change_station",
                "plans.add_organisation",
                "plans.change_organisation",
                "auth.add_user",
                "auth.change_user",
                "auth.view_user",
                "accounts.view_auditentry",
                "dispatch.view_subscriber",
                *_DRAFT_ALERTS,
                "alerts.add_warningtemplate",
                "alerts.change_warningtemplate",
                "alerts.add_capfeed",
                "alerts.change_capfeed",
                "alerts.view_capfeed",
            ),
        ),
        Role(RoleKey.ALERT_OPERATOR, "Người soạn cảnh báo", _ADMIN + _VIEW_AREAS + _DRAFT_ALERTS),
        Role(
            RoleKey.ALERT_APPROVER,
            "Người phê duyệt cảnh báo",
            _ADMIN + _VIEW_AREAS + _VIEW_ALERTS + ("alerts.approve_alert",),
        ),
        Role(RoleKey.EDITOR, "Biên tập viên", (*_ADMIN, "plans.view_organisation")),
        Role(RoleKey.CONTENT_REVIEWER, "Người duyệt nội dung", _ADMIN),
        Role(RoleKey.FOCAL_POINT, "Đầu mối tổ chức", (*_ADMIN, "plans.view_organisation")),
        Role(RoleKey.TRIAGE_OFFICER, "Cán bộ tiếp nhận phản ánh", _ADMIN + _VIEW_AREAS),
        Role(RoleKey.RADIO_OFFICER, "Cán bộ đài truyền thanh", _ADMIN + _VIEW_AREAS),
        Role(RoleKey.VIEWER, "Người xem (cấp trên)", _ADMIN + _VIEW_AREAS + _VIEW_ALERTS),
    ]
}


def app_permissions() -> dict[RoleKey, tuple[str, ...]]:
    """Each app may grant its own permissions to roles in `pctt.<app>.permissions`:
    a module with `ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]]`. Apps own their rules;
    this module only gathers them."""
    gathered: dict[RoleKey, tuple[str, ...]] = dict.fromkeys(RoleKey, ())
    for config in apps.get_app_configs():
        if not config.name.startswith("pctt."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for key, permissions in module.ROLE_PERMISSIONS.items():
            gathered[key] = gathered[key] + tuple(permissions)
    return gathered


def role_permissions(key: RoleKey) -> tuple[str, ...]:
    return ROLES[key].permissions + app_permissions()[key]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles() -> dict[RoleKey, Group]:
    """Create or update one group per role with exactly the role's permissions."""
    groups = {}
    for role in ROLES.values():
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([_permission(p) for p in role_permissions(role.key)])
        groups[role.key] = group
    return groups


def group_for(key: RoleKey) -> Group:
    return Group.objects.get(name=ROLES[key].group_name)
