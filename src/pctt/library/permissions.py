"""Library permissions per role (gathered by `pctt.accounts.roles.sync_roles`).

Page permissions (add, change, publish under the library) are Wagtail's GroupPagePermission
and image/document permissions its collection permissions: `pctt.library.setup` grants those.
"""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_SYNONYMS_VIEW = ("library.view_synonymset",)
_SYNONYMS_EDIT = (
    "library.add_synonymset",
    "library.change_synonymset",
    "library.delete_synonymset",
)

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.ADMINISTRATOR: (*_SYNONYMS_VIEW, *_SYNONYMS_EDIT),
    RoleKey.EDITOR: _SYNONYMS_VIEW,
    RoleKey.CONTENT_REVIEWER: (*_SYNONYMS_VIEW, *_SYNONYMS_EDIT),
}
