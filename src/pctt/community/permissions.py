"""Which roles may do what in residents' voice (gathered by `pctt.accounts.roles.sync_roles`).

Triage officers (Fatherland Front, Party Building Board) triage and answer; editors and
content reviewers write corrections; publishing a correction needs a reviewer or an
administrator, so it is never one person's word alone; the upper level sees summaries only.

Model permissions say what a role may do; `actions.visible_submissions` then says on which
submissions: a triage officer works the queue of new, unassigned submissions and those
assigned to them or their organisation; a focal point only those assigned to their
organisation or to them; ward-wide roles (administrator, editors, alert operators) see all.
"""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_VIEW = ("community.view_submission", "community.view_claim", "community.view_summary")
_TRIAGE = (
    *_VIEW,
    "community.add_submission",
    "community.change_submission",
    "community.triage_submission",
)
_CLAIMS = ("community.add_claim", "community.change_claim")
_ALL = ("community.see_all_submission",)
_NEW = ("community.take_new_submission",)

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.ADMINISTRATOR: (*_TRIAGE, *_CLAIMS, "community.publish_claim", *_ALL, *_NEW),
    RoleKey.TRIAGE_OFFICER: (*_TRIAGE, *_CLAIMS, *_NEW),
    RoleKey.FOCAL_POINT: _TRIAGE,
    RoleKey.EDITOR: (*_VIEW, *_CLAIMS, *_ALL),
    RoleKey.CONTENT_REVIEWER: (*_VIEW, *_CLAIMS, "community.publish_claim", *_ALL),
    RoleKey.ALERT_OPERATOR: ("community.view_submission", "community.view_claim", *_ALL),
    RoleKey.VIEWER: ("community.view_summary",),
}
