"""The roles of DESIGN.md as Django groups with permissions.

Later issues add permissions to these roles as their models appear; a test fails when a
role names a permission that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
            ),
        ),
        Role(RoleKey.ALERT_OPERATOR, "Người soạn cảnh báo", _ADMIN + _VIEW_AREAS),
        Role(RoleKey.ALERT_APPROVER, "Người phê duyệt cảnh báo", _ADMIN + _VIEW_AREAS),
        Role(RoleKey.EDITOR, "Biên tập viên", (*_ADMIN, "plans.view_organisation")),
        Role(RoleKey.CONTENT_REVIEWER, "Người duyệt nội dung", _ADMIN),
        Role(RoleKey.FOCAL_POINT, "Đầu mối tổ chức", (*_ADMIN, "plans.view_organisation")),
        Role(RoleKey.TRIAGE_OFFICER, "Cán bộ tiếp nhận phản ánh", _ADMIN + _VIEW_AREAS),
        Role(RoleKey.VIEWER, "Người xem (cấp trên)", _ADMIN + _VIEW_AREAS),
    ]
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles() -> dict[RoleKey, Group]:
    """Create or update one group per role with exactly the role's permissions."""
    groups = {}
    for role in ROLES.values():
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([_permission(p) for p in role.permissions])
        groups[role.key] = group
    return groups


def group_for(key: RoleKey) -> Group:
    return Group.objects.get(name=ROLES[key].group_name)
