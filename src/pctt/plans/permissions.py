"""What each role may do with plans, activities and reports (gathered by `sync_roles`).

Model permissions say what kind of thing a role may touch; `actions.py` then limits a focal
point to its own organisations (`Membership`).
"""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_READ = (
    "plans.view_plan",
    "plans.view_clause",
    "plans.view_periodictask",
    "plans.view_activity",
    "plans.view_report",
)
_RECORD = ("plans.add_activity", "plans.change_activity", "plans.delete_activity")
_REPORT = ("plans.add_report", "plans.change_report", "plans.push_report")
#: Upward reporting: the province's register of wards and what they sent; the ward's link.
_PROVINCE_READ = ("plans.view_reportingward", "plans.view_receivedreport")
_UPWARD_ADMIN = (
    "plans.add_reportingward",
    "plans.change_reportingward",
    "plans.view_provincelink",
    "plans.add_provincelink",
    "plans.change_provincelink",
)

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.ADMINISTRATOR: (
        *_READ,
        *_RECORD,
        *_REPORT,
        *_PROVINCE_READ,
        *_UPWARD_ADMIN,
        "plans.record_any_activity",
        "plans.add_plan",
        "plans.change_plan",
        "plans.add_clause",
        "plans.change_clause",
        "plans.add_periodictask",
        "plans.change_periodictask",
    ),
    RoleKey.FOCAL_POINT: (*_READ, *_RECORD, *_REPORT),
    RoleKey.VIEWER: (*_READ, *_PROVINCE_READ),
}
