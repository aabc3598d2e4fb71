"""CAP 1.2 date-times: `YYYY-MM-DDThh:mm:ss` followed by a mandatory `+hh:mm`/`-hh:mm` zone."""

from __future__ import annotations

import re
from datetime import datetime

_CAP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d")


def parse_cap_time(text: str) -> datetime | None:
    """The aware datetime for `text`, or None when it is not a CAP 1.2 time (e.g. no zone)."""
    text = text.strip()  # xs:dateTime collapses surrounding white space
    if _CAP_TIME.fullmatch(text) is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # 2024-02-30, 25:00, zone +24:00 …
        return None


def format_cap_time(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"CAP times need a time zone: {moment!r}")
    return moment.isoformat(timespec="seconds")
