"""Library permissions per role (gathered by `pctt.accounts.roles.sync_roles`), and who publishes.

Page permissions (add, change under the library) are Wagtail's GroupPagePermission and
image/document permissions its collection permissions: `pctt.library.setup` grants those.

No role holds `publish_page` on the library: a page goes live only when the last step of the
editorial workflow (the Party Building Board's approval) is approved, or when a superuser
publishes it. `publish_approved_workflow` is that last step's action: settings name it as
`WAGTAIL_FINISH_WORKFLOW_ACTION`.
"""

from __future__ import annotations

from typing import Any

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


def publish_approved_workflow(workflow_state: Any, user: Any = None) -> None:
    """Publish (or schedule, when it has a future "go live" date) the revision the workflow
    approved, in the name of the final approver.

    Wagtail's default finish action publishes with the approver's own `publish_page` check, so
    an approver without that permission gets PublishPagePermissionError. Here the approval is the
    authority: the admin only offers "approve" to the task's approvers (and our Board task also
    requires Party Building Board membership), and `WorkflowState.finish` runs only once every
    task is approved. Giving approvers `publish_page` instead would also let them publish
    directly, past the workflow."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
