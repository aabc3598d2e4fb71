"""What each role may do with recipients and delivery (gathered by accounts.roles.sync_roles).

Only administrators see and edit subscribers' numbers and addresses and configure providers;
alert staff and the upper level see broadcasts and their delivery status (addresses masked).
"""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_SEE_DELIVERY = ("dispatch.view_broadcast", "dispatch.view_loudspeakercluster")

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.ADMINISTRATOR: (
        *_SEE_DELIVERY,
        "dispatch.view_subscriber",
        "dispatch.add_subscriber",
        "dispatch.change_subscriber",
        "dispatch.view_consent",
        "dispatch.view_delivery",
        "dispatch.add_loudspeakercluster",
        "dispatch.change_loudspeakercluster",
        "dispatch.view_channelprovider",
        "dispatch.add_channelprovider",
        "dispatch.change_channelprovider",
    ),
    RoleKey.ALERT_OPERATOR: _SEE_DELIVERY,
    RoleKey.ALERT_APPROVER: _SEE_DELIVERY,
    RoleKey.VIEWER: ("dispatch.view_broadcast",),
}
