"""Listening to warnings: a Cancel or an Update removes the older versions from every cluster's
queue and schedule. Connected in ``LoudspeakersConfig.ready()``."""

from __future__ import annotations

from typing import Any

from pctt.loudspeakers import actions


def warning_issued(sender: type, alert: Any, **kwargs: Any) -> None:
    if alert.msg_type not in ("Cancel", "Update"):
        return
    # The cancel notice itself ("warning cancelled") and an update's new text still play.
    actions.clear_warning(
        reference_prefix=f"{alert.thread_reference_prefix}:", keep=alert.dispatch_reference
    )
