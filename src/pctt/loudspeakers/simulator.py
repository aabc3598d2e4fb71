"""Simulated loudspeaker controllers over real MQTT (no Django import).

Each :class:`SimulatedCluster` behaves like a smart cluster on 3G/4G: a persistent MQTT session
(queued messages arrive after a drop), a retained heartbeat on ``trangthai`` every
``heartbeat_s`` seconds with a last will saying offline, a locally stored schedule (so the
programme plays when the link is down), priorities (normal / priority / emergency with
interrupt-and-resume), cancel by reference, and a receipt on ``bienlai`` for every item played,
kept until the broker has it. ``time_scale`` shortens every duration (tests use 0.01–0.1).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pctt.loudspeakers import protocol as p

logger = logging.getLogger("pctt.loudspeakers.simulator")

#: A scheduled item more than this late (seconds, device clock) is skipped, not played.
LATE_LIMIT_S = 600.0


@dataclass
class Playing:
    item: p.Item
    started: float  # device clock
    ends: float
    played_before_s: float = 0.0  # item seconds already played before an interruption
    resumed: bool = False


def _forget() -> Any:
    """DISCONNECT properties that end the broker's session for this client."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    props = Properties(PacketTypes.DISCONNECT)
    props.SessionExpiryInterval = 0
    return props


class SimulatedCluster:
    def __init__(
        self,
        controller_id: str,
        *,
        host: str = "127.0.0.1",
        port: int = 1883,
        heartbeat_s: float = 30.0,
        time_scale: float = 1.0,
        firmware: str = "sim-1.0",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.controller_id = controller_id
        self.host, self.port = host, port
        self.heartbeat_s = heartbeat_s
        self.time_scale = time_scale
        self.firmware = firmware
        self.clock = clock
        self.volume = 70
        self.schedule = p.Schedule(version=0)
        self.queue: deque[Playing | p.Item] = deque()
        self.next_slot: list[p.Item] = []  # priority items waiting for the next slot
        self.current: Playing | None = None
        self.last_played = ""
        self.done: set[str] = set()  # schedule entries played or skipped
        self.seen_keys: set[str] = set()  # idempotency: a repeated message is ignored
        self.played: list[p.Receipt] = []  # every receipt made, in order
        self.connected = threading.Event()
        self._pending: dict[int, bytes] = {}  # receipts the broker has not acknowledged
        self._unsent: list[bytes] = []
        self._cond = threading.Condition()
        # Receipts waiting for the broker have their own lock: paho calls on_publish while
        # holding its own lock, which publish() needs too (one shared lock would deadlock).
        self._outbox_lock = threading.Lock()
        self._running = False
        self._thread: threading.Thread | None = None
        self._receipt_ids = itertools.count(1)
        self._client: Any = None
        self._next_heartbeat = 0.0
        self._subscribe_mid = -1
        self.hung = False

    # -- connection --------------------------------------------------------------------------
    def _make_client(self) -> Any:
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"pctt-sim-{self.controller_id}",
            protocol=mqtt.MQTTv5,
        )
        client.will_set(
            p.topic(self.controller_id, p.STATE),
            p.encode({"online": False, "firmware": self.firmware}),
            qos=1,
            retain=True,
        )
        client.reconnect_delay_set(min_delay=1, max_delay=2)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = lambda *_a: self.connected.clear()
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 24 * 3600  # the broker keeps our messages while we are away
        client.connect_async(
            self.host,
            self.port,
            keepalive=max(5, int(self.heartbeat_s * 2)),
            clean_start=False,
            properties=props,
        )
        return client

    def _on_connect(self, client: Any, _u: Any, _f: Any, reason: Any, _props: Any = None) -> None:
        if getattr(reason, "is_failure", False):
            return
        _rc, self._subscribe_mid = client.subscribe(
            [(p.topic(self.controller_id, kind), 1) for kind in (p.PLAY, p.SCHEDULE, p.COMMAND)]
        )

    def _on_subscribe(self, _c: Any, _u: Any, mid: int, *_rest: Any) -> None:
        """Connected once the broker confirms our subscriptions (nothing sent before is lost)."""
        if mid != self._subscribe_mid:
            return
        with self._outbox_lock:
            resend = list(self._pending.values()) + self._unsent
            self._pending.clear()
            self._unsent.clear()
        self.connected.set()
        for payload in resend:
            self._publish_receipt(payload)
        with self._cond:
            self._next_heartbeat = 0.0
            self._cond.notify_all()

    def _on_publish(self, _c: Any, _u: Any, mid: int, *_rest: Any) -> None:
        with self._outbox_lock:
            self._pending.pop(mid, None)

    def start(self) -> SimulatedCluster:
        self._running = True
        self._client = self._make_client()
        self._client.loop_start()
        self._thread = threading.Thread(
            target=self._run, name=f"sim-{self.controller_id}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, *, forget: bool = False) -> None:
        """Power off cleanly: the broker keeps our retained state as last sent; ``forget``
        also ends the broker's session for us (tests)."""
        self._running = False
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._client is not None:
            info = self._client.publish(
                p.topic(self.controller_id, p.STATE),
                p.encode(self._state(online=False)),
                qos=1,
                retain=True,
            )
            if self.connected.is_set():
                with contextlib.suppress(ValueError, RuntimeError):
                    info.wait_for_publish(2)
            self._client.disconnect(properties=_forget() if forget else None)
            self._client.loop_stop()
            self._client = None

    def go_offline(self) -> None:
        """Lose the link: the broker publishes our last will (offline) at once."""
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.reasoncodes import ReasonCode

        if self._client is None:
            return
        self._client.disconnect(
            reasoncode=ReasonCode(PacketTypes.DISCONNECT, "Disconnect with will message")
        )
        self._client.loop_stop()
        self._client = None
        self.connected.clear()

    def hang(self) -> None:
        """A controller that hangs: still connected, but sends no more heartbeats."""
        self.hung = True

    def come_online(self) -> None:
        if self._client is None:
            self._client = self._make_client()
            self._client.loop_start()

    # -- incoming ----------------------------------------------------------------------------
    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        try:
            _cid, kind = p.split_topic(message.topic)
            body = p.decode(message.payload)
            if kind == p.SCHEDULE:
                self.receive_schedule(p.parse_schedule(body))
            elif kind == p.PLAY:
                key = str(body.get("key") or body.get("id") or "")
                if key in self.seen_keys:
                    return
                self.seen_keys.add(key)
                self.receive_item(p.parse_item(body))
            elif kind == p.COMMAND:
                self.receive_command(body)
        except p.ProtocolError as exc:
            logger.warning("%s refused a message on %s: %s", self.controller_id, message.topic, exc)

    def receive_schedule(self, schedule: p.Schedule) -> None:
        with self._cond:
            if schedule.version < self.schedule.version:
                return
            self.schedule = schedule
            self._cond.notify_all()
        self._receipt({"event": "schedule", "version": schedule.version})

    def receive_item(self, item: p.Item) -> None:
        now = self.clock()
        with self._cond:
            if item.priority == "emergency":
                current = self.current
                if current is not None and current.item.priority != "emergency":
                    # Interrupt: report what was heard, keep the rest to resume afterwards.
                    heard = (now - current.started) / self.time_scale
                    self._played(current, heard, completed=False)
                    rest = replace(
                        current,
                        played_before_s=current.played_before_s + heard,
                        resumed=True,
                    )
                    self.queue.appendleft(rest)
                    self.current = None
                position = 0
                while position < len(self.queue) and self._is_emergency(self.queue[position]):
                    position += 1
                self.queue.insert(position, item)
            elif item.priority == "priority" and self._upcoming_slot(now) is not None:
                self.next_slot.append(item)
            else:
                self.queue.append(item)
            self._cond.notify_all()

    @staticmethod
    def _is_emergency(entry: Playing | p.Item) -> bool:
        item = entry.item if isinstance(entry, Playing) else entry
        return item.priority == "emergency"

    def receive_command(self, body: dict[str, Any]) -> None:
        command = body.get("cmd")
        if command == "cancel":
            self.cancel(
                reference_prefix=str(body.get("reference_prefix") or ""),
                item_id=str(body.get("item_id") or ""),
                keep=str(body.get("keep") or ""),
            )
        elif command == "volume" and isinstance(body.get("volume"), int):
            self.volume = max(0, min(100, int(body["volume"])))

    def cancel(self, *, reference_prefix: str = "", item_id: str = "", keep: str = "") -> int:
        """Remove matching items from the queue, the next slot and the stored schedule."""

        def hit(item: p.Item) -> bool:
            if keep and item.reference == keep:
                return False
            if item_id and item.id == item_id:
                return True
            return bool(reference_prefix) and item.reference.startswith(reference_prefix)

        with self._cond:
            before = len(self.queue) + len(self.next_slot) + len(self.schedule.items)
            self.queue = deque(
                e for e in self.queue if not hit(e.item if isinstance(e, Playing) else e)
            )
            self.next_slot = [i for i in self.next_slot if not hit(i)]
            self.schedule = replace(
                self.schedule, items=[i for i in self.schedule.items if not hit(i)]
            )
            removed = before - len(self.queue) - len(self.next_slot) - len(self.schedule.items)
            if self.current is not None and hit(self.current.item):
                heard = (self.clock() - self.current.started) / self.time_scale
                self._played(self.current, heard, completed=False)
                self.current = None
                removed += 1
            self._cond.notify_all()
        return removed

    def queued(self) -> list[p.Item]:
        with self._cond:
            items = [e.item if isinstance(e, Playing) else e for e in self.queue]
            return (
                items
                + list(self.next_slot)
                + [i for i in self.schedule.items if i.id not in self.done]
            )

    # -- playing -----------------------------------------------------------------------------
    def _upcoming_slot(self, now: float) -> float | None:
        times = [i.at for i in self.schedule.items if i.at is not None and i.at > now]
        return min(times) if times else None

    def _due_slots(self, now: float) -> None:
        """Move scheduled items whose time has come to the queue, priority items first."""
        due = [
            i
            for i in self.schedule.items
            if i.id not in self.done and i.at is not None and i.at <= now
        ]
        if not due:
            return
        for item in due:
            self.done.add(item.id)
        fresh = [i for i in due if i.at is not None and now - i.at <= LATE_LIMIT_S]
        fresh.sort(key=lambda i: (i.at, p.PRIORITY_RANK.get(i.priority, 2)))
        waiting, self.next_slot = self.next_slot, []
        self.queue.extend([*waiting, *fresh])

    def _run(self) -> None:
        while self._running:
            with self._cond:
                now = self.clock()
                self._due_slots(now)
                if self.current is not None and now >= self.current.ends:
                    heard = (self.current.ends - self.current.started) / self.time_scale
                    self._played(self.current, heard, completed=True)
                    self.current = None
                if self.current is None and self.queue:
                    entry = self.queue.popleft()
                    if isinstance(entry, Playing):  # resuming an interrupted item
                        rest = max(0.0, entry.item.duration_s - entry.played_before_s)
                        self.current = replace(
                            entry, started=now, ends=now + rest * self.time_scale
                        )
                    else:
                        self.current = Playing(
                            entry, started=now, ends=now + entry.duration_s * self.time_scale
                        )
                if now >= self._next_heartbeat:
                    self._heartbeat()
                    self._next_heartbeat = now + self.heartbeat_s
                deadlines = [self._next_heartbeat]
                if self.current is not None:
                    deadlines.append(self.current.ends)
                upcoming = self._upcoming_slot(now)
                if upcoming is not None:
                    deadlines.append(upcoming)
                self._cond.wait(timeout=max(0.005, min(deadlines) - now))

    def _played(self, playing: Playing, heard_s: float, *, completed: bool) -> None:
        item = playing.item
        self.last_played = item.title or item.id
        self._receipt(
            {
                "event": "played",
                "item_id": item.id,
                "title": item.title,
                "kind": item.kind,
                "priority": item.priority,
                "reference": item.reference,
                "slot": item.slot,
                "started_at": playing.started,
                "duration_s": round(max(0.0, heard_s), 3),
                "completed": completed,
                "resumed": playing.resumed,
            }
        )

    def _state(self, *, online: bool = True) -> dict[str, Any]:
        return {
            "online": online,
            "volume": self.volume,
            "playing": (self.current.item.title or self.current.item.id) if self.current else "",
            "last_played": self.last_played,
            "firmware": self.firmware,
            "schedule_version": self.schedule.version,
            "heartbeat_s": self.heartbeat_s,
            "sent_at": self.clock(),
        }

    def _heartbeat(self) -> None:
        if self._client is not None and self.connected.is_set() and not self.hung:
            self._client.publish(
                p.topic(self.controller_id, p.STATE), p.encode(self._state()), qos=1, retain=True
            )

    def _receipt(self, body: dict[str, Any]) -> None:
        body["id"] = f"{self.controller_id}-{int(self.clock() * 1000)}-{next(self._receipt_ids)}"
        receipt = p.parse_receipt(body)
        self.played.append(receipt)
        self._publish_receipt(p.encode(receipt.to_json()))

    def _publish_receipt(self, payload: bytes) -> None:
        client = self._client
        if client is None or not self.connected.is_set():
            with self._outbox_lock:
                self._unsent.append(payload)
            return
        info = client.publish(p.topic(self.controller_id, p.RECEIPT), payload, qos=1)
        with self._outbox_lock:
            if info.rc != 0:
                self._unsent.append(payload)
            elif not info.is_published():
                self._pending[info.mid] = payload


class Simulator:
    """Several clusters, plus a control topic: ``{"cmd": "offline"|"online", "controller_id"}``."""

    def __init__(self, controller_ids: list[str], **options: Any) -> None:
        self.options = options
        self.clusters = {cid: SimulatedCluster(cid, **options) for cid in controller_ids}
        self._control: Any = None

    def start(self) -> Simulator:
        import paho.mqtt.client as mqtt

        for cluster in self.clusters.values():
            cluster.start()
        control = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
        control.on_connect = lambda c, *_a: c.subscribe(p.SIM_CONTROL, qos=1)
        control.on_message = self._on_control
        control.connect_async(self.options.get("host", "127.0.0.1"), self.options.get("port", 1883))
        control.loop_start()
        self._control = control
        return self

    def _on_control(self, _c: Any, _u: Any, message: Any) -> None:
        try:
            body = p.decode(message.payload)
        except p.ProtocolError:
            return
        cluster = self.clusters.get(str(body.get("controller_id")))
        if cluster is None:
            return
        if body.get("cmd") == "offline":
            cluster.go_offline()
        elif body.get("cmd") == "online":
            cluster.come_online()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        return all(
            c.connected.wait(max(0.0, deadline - time.monotonic())) for c in self.clusters.values()
        )

    def stop(self) -> None:
        if self._control is not None:
            self._control.disconnect()
            self._control.loop_stop()
        for cluster in self.clusters.values():
            cluster.stop()
