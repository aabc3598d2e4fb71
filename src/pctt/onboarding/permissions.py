"""Who may run the first-run set-up (gathered by `pctt.accounts.roles.sync_roles`).

Only administrators: the wizard creates accounts, chooses the ward and configures channels.
Each step still needs the owning app's own permission (areas, plans, dispatch, alerts).
"""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.ADMINISTRATOR: ("onboarding.run_onboarding", "onboarding.view_channeltest"),
}
