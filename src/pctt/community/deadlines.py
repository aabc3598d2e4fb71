"""How soon each kind of submission must be answered. Pure Python (no Django).

Rumours spread in hours, so claims come before questions; a hazard report during an active
warning is urgent: someone may be in danger now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: kind → (normal, urgent) time allowed.
DUE: dict[str, tuple[timedelta, timedelta]] = {
    "hazard": (timedelta(hours=4), timedelta(hours=1)),
    "claim": (timedelta(hours=12), timedelta(hours=4)),
    "question": (timedelta(days=2), timedelta(hours=12)),
    "concern": (timedelta(days=7), timedelta(days=2)),
}


def is_urgent(kind: str, *, warning_active: bool) -> bool:
    return kind == "hazard" and warning_active


def due_at(kind: str, received: datetime, *, urgent: bool) -> datetime:
    normal, fast = DUE[kind]
    return received + (fast if urgent else normal)
