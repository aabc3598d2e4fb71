"""What each role may do in hazard monitoring (gathered by accounts.roles.sync_roles)."""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_SEE = (
    "hazards.view_thresholdset",
    "hazards.view_observation",
    "hazards.view_quarantinedreading",
    "hazards.view_proposal",
    "hazards.view_risklevel",
)
# Operators and approvers act on proposals and copy risk levels from official bulletins.
_ACT = ("hazards.change_proposal", "hazards.add_risklevel")

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    # Thresholds are official data: only administrators enter them, with their source.
    RoleKey.ADMINISTRATOR: (*_SEE, *_ACT, "hazards.add_thresholdset"),
    RoleKey.ALERT_OPERATOR: (*_SEE, *_ACT),
    RoleKey.ALERT_APPROVER: (*_SEE, *_ACT),
    RoleKey.VIEWER: _SEE,
}
