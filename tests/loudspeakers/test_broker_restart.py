"""Schedules survive a broker restart: a private Mosquitto (persistence on) on a free port is
stopped and started again while a simulated cluster holds its pushed programme."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pctt.loudspeakers import protocol as p
from pctt.loudspeakers.models import ClusterDevice, PlayLog
from pctt.loudspeakers.monitor import Monitor
from pctt.loudspeakers.simulator import SimulatedCluster
from tests.conftest import IN_CI
from tests.loudspeakers.conftest import wait_for
from tests.loudspeakers.test_monitor import programme_at

pytestmark = pytest.mark.django_db
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


class PrivateBroker:
    def __init__(self, folder: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {folder}/\nuser root\nlog_dest none\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(self.config)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("private Mosquitto did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)  # saves its persistence file
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[PrivateBroker]:
    if not Path(MOSQUITTO).exists():
        if IN_CI:
            pytest.fail("mosquitto is not installed")
        pytest.skip("mosquitto is not installed")
    broker = PrivateBroker(tmp_path)
    broker.start()
    yield broker
    broker.stop()


def retained_schedule(port: int, controller_id: str) -> dict[str, Any] | None:
    import paho.mqtt.client as mqtt

    got: list[dict[str, Any]] = []
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    client.on_connect = lambda c, *_a: c.subscribe(p.topic(controller_id, p.SCHEDULE), qos=1)
    client.on_message = lambda _c, _u, m: got.append(p.decode(m.payload))
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        wait_for(lambda: got, timeout=5)
    finally:
        client.disconnect()
        client.loop_stop()
    return got[0]


def test_the_programme_plays_through_a_broker_restart_and_the_schedule_is_still_there(
    private_broker: PrivateBroker,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    script_page: Callable[..., Any],
    users: dict[str, Any],
) -> None:
    cluster = make_cluster(cid("r"), heartbeat_s=0.5)
    device = SimulatedCluster(
        cluster.controller_id, port=private_broker.port, heartbeat_s=0.5, time_scale=0.05
    ).start()
    monitor = Monitor(port=private_broker.port, client_id="pctt-restart-test").start()
    try:
        assert device.connected.wait(10) and monitor.connected.wait(10)
        _programme, slot = programme_at(users["truyenthanh"], [cluster], 5, script_page())
        wait_for(
            lambda: ClusterDevice.objects.get(cluster=cluster).schedule_version == 1,
            tick=monitor.step,
        )
        private_broker.stop()
        assert time.time() < slot
        # The link is down when the slot comes: the controller plays from its stored schedule.
        wait_for(lambda: any(r.event == "played" for r in device.played), timeout=15)
        assert not device.connected.is_set()
        private_broker.start()
        # Back up: the receipt kept by the device reaches the play log; the schedule is retained.
        wait_for(
            lambda: PlayLog.objects.filter(cluster=cluster).exists(), timeout=15, tick=monitor.step
        )
        entry = PlayLog.objects.get(cluster=cluster)
        assert slot <= entry.started_at.timestamp() < slot + 2
        stored = retained_schedule(private_broker.port, cluster.controller_id)
        assert stored is not None and stored["version"] == 1 and len(stored["items"]) >= 1
    finally:
        device.stop()
        monitor.stop()
