"""What each role may do with the loudspeakers (gathered by accounts.roles.sync_roles)."""

from __future__ import annotations

from pctt.accounts.roles import RoleKey

_SEE = (
    "loudspeakers.view_clusterdevice",
    "loudspeakers.view_programme",
    "loudspeakers.view_recording",
    "loudspeakers.view_playlog",
    "loudspeakers.view_healthalert",
    "loudspeakers.view_announcement",
    "dispatch.view_loudspeakercluster",
)
# The radio officer runs the system every day: devices, programmes, recordings, notices.
_RUN = (
    "loudspeakers.change_clusterdevice",
    "loudspeakers.add_programme",
    "loudspeakers.change_programme",
    "loudspeakers.add_recording",
    "loudspeakers.add_announcement",
    "library.view_loudspeakerscriptpage",
    "dispatch.add_loudspeakercluster",
    "dispatch.change_loudspeakercluster",
)

ROLE_PERMISSIONS: dict[RoleKey, tuple[str, ...]] = {
    RoleKey.RADIO_OFFICER: (*_SEE, *_RUN),
    RoleKey.ADMINISTRATOR: (*_SEE, *_RUN),
    # Alert operators see device health: a silent cluster changes how a warning reaches people.
    RoleKey.ALERT_OPERATOR: _SEE,
    RoleKey.ALERT_APPROVER: _SEE,
    RoleKey.VIEWER: _SEE,
}
