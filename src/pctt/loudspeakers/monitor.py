"""The loudspeaker worker: listens to controllers' heartbeats and receipts, raises health alerts,
pushes schedules ahead of time and publishes queued commands. Runs in ``pctt run``.

Network traffic arrives on paho's thread and is only queued there; all database work happens
in :meth:`Monitor.step`, called by the loop (or by a test) on one thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from pctt.dispatch.models import LoudspeakerCluster
from pctt.loudspeakers import actions, protocol, schedule
from pctt.loudspeakers.models import ClusterDevice, DeviceCommand

logger = logging.getLogger("pctt.loudspeakers.monitor")

#: A schedule not yet confirmed is pushed again after this long.
REPUSH_AFTER = timedelta(seconds=30)
#: Schedules are rebuilt at least this often (new days, programme changes).
REBUILD_EVERY = timedelta(seconds=60)


class Monitor:
    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 1883, client_id: str = "pctt-loudspeakers"
    ) -> None:
        self.host, self.port, self.client_id = host, port, client_id
        self.inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.connected = threading.Event()
        self._client: Any = None
        self._last_rebuild: datetime | None = None
        self._programme_versions: dict[int, int] = {}

    def start(self) -> Monitor:
        import paho.mqtt.client as mqtt
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
        )
        client.reconnect_delay_set(min_delay=1, max_delay=5)

        def on_connect(c: Any, _u: Any, _f: Any, reason: Any, _p: Any = None) -> None:
            if getattr(reason, "is_failure", False):
                logger.warning("MQTT connection refused: %s", reason)
                return
            _rc, mids[0] = c.subscribe(
                [(protocol.wildcard(protocol.STATE), 1), (protocol.wildcard(protocol.RECEIPT), 1)]
            )

        def on_subscribe(_c: Any, _u: Any, mid: int, *_rest: Any) -> None:
            if mid == mids[0]:
                self.connected.set()

        mids = [-1]
        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_disconnect = lambda *_a: self.connected.clear()
        client.on_message = lambda _c, _u, m: self.inbox.put((m.topic, bytes(m.payload)))
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 24 * 3600  # receipts wait for us while we restart
        client.connect_async(self.host, self.port, clean_start=False, properties=props)
        client.loop_start()
        self._client = client
        return self

    def stop(self, *, forget: bool = False) -> None:
        """``forget`` also ends the broker's session for us (tests)."""
        from pctt.loudspeakers.simulator import _forget

        if self._client is not None:
            self._client.disconnect(properties=_forget() if forget else None)
            self._client.loop_stop()
            self._client = None

    # -- one round ---------------------------------------------------------------------------
    def step(self, *, now: datetime | None = None) -> None:
        self.drain()
        actions.check_heartbeats(now=now)
        if self.connected.is_set():
            self.push_schedules(now=now)
            self.publish_commands()

    def drain(self) -> int:
        handled = 0
        while True:
            try:
                topic, payload = self.inbox.get_nowait()
            except queue.Empty:
                return handled
            handled += 1
            self.handle(topic, payload)

    def handle(self, topic: str, payload: bytes) -> None:
        try:
            controller_id, kind = protocol.split_topic(topic)
            if kind == protocol.STATE:
                if not payload:
                    return  # a retained state cleared
                actions.record_state(controller_id, protocol.parse_state(protocol.decode(payload)))
            elif kind == protocol.RECEIPT:
                actions.record_receipt(
                    controller_id, protocol.parse_receipt(protocol.decode(payload))
                )
        except protocol.ProtocolError as exc:
            logger.warning("refused a message on %s: %s", topic[:120], exc)
        except Exception:
            logger.exception("message on %s failed", topic[:120])

    def push_schedules(self, *, now: datetime | None = None) -> int:
        """Build schedules when programmes changed or it is time, and push each version the
        device does not yet have (retained, so a controller that reconnects gets it)."""
        from pctt.loudspeakers.models import Programme

        now = now or timezone.now()
        versions = dict(Programme.objects.values_list("pk", "version"))
        rebuild = (
            self._last_rebuild is None
            or now - self._last_rebuild >= REBUILD_EVERY
            or versions != self._programme_versions
        )
        pushed = 0
        clusters = LoudspeakerCluster.objects.filter(
            enabled=True, protocol=LoudspeakerCluster.Protocol.MQTT
        )
        for cluster in clusters:
            current = schedule.refresh(cluster, now=now) if rebuild else schedule.latest(cluster)
            if current is None:
                continue
            device = actions.device_for(cluster)
            if device.schedule_version == current.version:
                continue
            pushed_at = device.schedule_pushed_at
            if (
                pushed_at is None
                or pushed_at < current.created_at
                or now - pushed_at > REPUSH_AFTER
            ):
                self._publish(
                    protocol.topic(cluster.controller_id, protocol.SCHEDULE),
                    schedule.payload(current),
                    retain=True,
                )
                ClusterDevice.objects.filter(pk=device.pk).update(schedule_pushed_at=now)
                pushed += 1
        if rebuild:
            self._last_rebuild = now
            self._programme_versions = versions
        return pushed

    def publish_commands(self) -> int:
        sent = 0
        for command in (
            DeviceCommand.objects.filter(published_at__isnull=True)
            .select_related("cluster")
            .order_by("pk")[:500]
        ):
            topic = protocol.topic(command.cluster.controller_id, command.kind)
            if self._publish(topic, command.payload):
                with transaction.atomic():
                    DeviceCommand.objects.filter(pk=command.pk).update(published_at=timezone.now())
                sent += 1
        return sent

    def _publish(self, topic: str, body: dict[str, Any], *, retain: bool = False) -> bool:
        if self._client is None:
            return False
        info = self._client.publish(topic, protocol.encode(body), qos=1, retain=retain)
        try:
            info.wait_for_publish(timeout=5)
        except (ValueError, RuntimeError):
            return False
        return bool(info.is_published())

    def run_forever(self, stop: threading.Event, *, interval: float = 0.5) -> None:
        while not stop.is_set():
            try:
                self.step()
            except Exception:
                logger.exception("loudspeaker monitor round failed")
            stop.wait(interval)
