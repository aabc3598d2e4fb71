"""The loudspeaker controllers' MQTT conversation, as plain Python (no Django import).

Topics, per controller id, under ``pctt/loa/{controller_id}/``:

``phat``       server → device: play this now (warnings from dispatch's MQTT adapter, immediate
               announcements); ``priority`` decides how (Circular 39/2020): ``normal`` after the
               current item, ``priority`` first in the next slot, ``emergency`` at once,
               interrupting whatever plays (which resumes afterwards).
``lich``       server → device, retained: the schedule pushed ahead of time, with its version.
``lenh``       server → device: commands (``cancel`` by reference prefix or item id, ``volume``).
``trangthai``  device → server, retained: heartbeat and state; the last will says offline.
``bienlai``    device → server: receipts (``played`` with start time and duration, ``schedule``
               when a schedule version was stored).

Every incoming payload is checked here: JSON object, bounded size, typed fields; anything else
raises :class:`ProtocolError` with a clear message and is dropped by the caller.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Final

PREFIX: Final = "pctt/loa"
PLAY: Final = "phat"
SCHEDULE: Final = "lich"
COMMAND: Final = "lenh"
STATE: Final = "trangthai"
RECEIPT: Final = "bienlai"
#: The simulator's own control topic (``offline`` / ``online`` on command).
SIM_CONTROL: Final = "pctt/sim/lenh"

PRIORITIES: Final = ("normal", "priority", "emergency")
PRIORITY_RANK: Final = {"emergency": 0, "priority": 1, "normal": 2}
MAX_PAYLOAD_BYTES: Final = 256 * 1024
MAX_SCHEDULE_ENTRIES: Final = 2000
MAX_TEXT: Final = 20_000


class ProtocolError(ValueError):
    """A payload we refuse (not JSON, wrong shape, too big)."""


def topic(controller_id: str, kind: str) -> str:
    if not controller_id or any(ch in controller_id for ch in "+#/\x00"):
        raise ProtocolError("controller id is not usable in an MQTT topic")
    return f"{PREFIX}/{controller_id}/{kind}"


def wildcard(kind: str) -> str:
    return f"{PREFIX}/+/{kind}"


def split_topic(name: str) -> tuple[str, str]:
    """``pctt/loa/{id}/{kind}`` → (id, kind)."""
    parts = name.split("/")
    if len(parts) != 4 or "/".join(parts[:2]) != PREFIX or not parts[2]:
        raise ProtocolError(f"not a loudspeaker topic: {name[:100]!r}")
    return parts[2], parts[3]


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def decode(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"payload of {len(payload)} bytes is over {MAX_PAYLOAD_BYTES}")
    try:
        body = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ProtocolError(f"payload is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ProtocolError("payload is not a JSON object")
    return body


def _str(body: dict[str, Any], name: str, limit: int = 200, default: str = "") -> str:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ProtocolError(f"{name} must be text")
    if len(value) > limit:
        raise ProtocolError(f"{name} is longer than {limit} characters")
    return value


def _number(body: dict[str, Any], name: str, default: float | None = None) -> float:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(f"{name} must be a number")
    if not math.isfinite(value) or value < 0 or value > 10**10:
        raise ProtocolError(f"{name} is out of range")
    return float(value)


def _priority(body: dict[str, Any]) -> str:
    value = _str(body, "priority", 20, "normal")
    if value not in PRIORITIES:
        raise ProtocolError(f"unknown priority {value[:20]!r}")
    return value


@dataclass
class Item:
    """One thing a controller plays: spoken text, a recording or a relayed stream."""

    id: str
    title: str = ""
    kind: str = "speech"  # speech | recording | relay | warning | announcement
    priority: str = "normal"
    duration_s: float = 0.0
    at: float | None = None  # epoch seconds of its slot; None = now
    slot: str = ""  # the slot it belongs to, e.g. "2026-11-29T05:30"
    audio_url: str = ""
    stream_url: str = ""
    text: str = ""
    reference: str = ""  # "alert:12:v13" for warnings: what a cancel removes

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


def parse_item(body: dict[str, Any]) -> Item:
    """An item from a ``phat`` message or a schedule entry.

    Dispatch's warnings carry ``key`` (idempotency), ``reference`` and ``script``; our own items
    carry ``id``. A warning's duration is estimated from its script when it has none.
    """
    item_id = _str(body, "id", 120) or _str(body, "key", 120)
    if not item_id:
        raise ProtocolError("item has no id")
    text = _str(body, "text", MAX_TEXT) or _str(body, "script", MAX_TEXT)
    duration = body.get("duration_s")
    if duration is None:
        duration = speech_seconds(text) if text else 0.0
    duration_s = _number({"d": duration}, "d")
    if duration_s <= 0 and not text:
        raise ProtocolError("item has neither a duration nor a text")
    at = body.get("at")
    return Item(
        id=item_id,
        title=_str(body, "title", 300) or _str(body, "headline", 300),
        kind=_str(body, "kind", 20, "warning" if body.get("reference") else "speech"),
        priority=_priority(body),
        duration_s=duration_s,
        at=None if at is None else _number(body, "at"),
        slot=_str(body, "slot", 40),
        audio_url=_str(body, "audio_url", 1000),
        stream_url=_str(body, "stream_url", 1000),
        text=text,
        reference=_str(body, "reference", 100),
    )


def speech_seconds(text: str, words_per_minute: int = 150) -> float:
    """How long a text takes to speak at a given speed (a floor of one second)."""
    return max(1.0, len(text.split()) * 60.0 / words_per_minute)


@dataclass
class Schedule:
    version: int
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "items": [i.to_json() for i in self.items]}


def parse_schedule(body: dict[str, Any]) -> Schedule:
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ProtocolError("schedule version must be a whole number")
    items = body.get("items", [])
    if not isinstance(items, list):
        raise ProtocolError("schedule items must be a list")
    if len(items) > MAX_SCHEDULE_ENTRIES:
        raise ProtocolError(f"schedule has more than {MAX_SCHEDULE_ENTRIES} items")
    parsed = []
    for entry in items:
        if not isinstance(entry, dict):
            raise ProtocolError("schedule item is not an object")
        item = parse_item(entry)
        if item.at is None:
            raise ProtocolError("schedule item has no time")
        parsed.append(item)
    return Schedule(version=version, items=parsed)


@dataclass
class State:
    online: bool
    volume: int | None = None
    playing: str = ""
    last_played: str = ""
    firmware: str = ""
    schedule_version: int | None = None
    heartbeat_s: float | None = None
    sent_at: float | None = None


def parse_state(body: dict[str, Any]) -> State:
    online = body.get("online")
    if not isinstance(online, bool):
        raise ProtocolError("state must say online true or false")
    volume = body.get("volume")
    if volume is not None and (
        isinstance(volume, bool) or not isinstance(volume, int) or not 0 <= volume <= 100
    ):
        raise ProtocolError("volume must be 0-100")
    version = body.get("schedule_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ProtocolError("schedule version must be a whole number")
    heartbeat = body.get("heartbeat_s")
    return State(
        online=online,
        volume=volume,
        playing=_str(body, "playing", 300),
        last_played=_str(body, "last_played", 300),
        firmware=_str(body, "firmware", 64),
        schedule_version=version,
        heartbeat_s=None if heartbeat is None else _number(body, "heartbeat_s"),
        sent_at=None if body.get("sent_at") is None else _number(body, "sent_at"),
    )


@dataclass
class Receipt:
    """What a device reports it did: ``played`` an item, or stored a ``schedule`` version."""

    id: str
    event: str
    item_id: str = ""
    title: str = ""
    kind: str = ""
    priority: str = "normal"
    reference: str = ""
    slot: str = ""
    started_at: float = 0.0
    duration_s: float = 0.0
    completed: bool = True
    resumed: bool = False
    version: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


RECEIPT_EVENTS: Final = ("played", "schedule")


def parse_receipt(body: dict[str, Any]) -> Receipt:
    receipt_id = _str(body, "id", 120)
    if not receipt_id:
        raise ProtocolError("receipt has no id")
    event = _str(body, "event", 20)
    if event not in RECEIPT_EVENTS:
        raise ProtocolError(f"unknown receipt event {event[:20]!r}")
    version = body.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ProtocolError("version must be a whole number")
    receipt = Receipt(id=receipt_id, event=event, version=version)
    if event == "played":
        receipt.item_id = _str(body, "item_id", 120)
        receipt.title = _str(body, "title", 300)
        receipt.kind = _str(body, "kind", 20)
        receipt.priority = _priority(body)
        receipt.reference = _str(body, "reference", 100)
        receipt.slot = _str(body, "slot", 40)
        receipt.started_at = _number(body, "started_at")
        receipt.duration_s = _number(body, "duration_s")
        receipt.completed = bool(body.get("completed", True))
        receipt.resumed = bool(body.get("resumed", False))
        if not receipt.item_id:
            raise ProtocolError("played receipt has no item id")
    return receipt
