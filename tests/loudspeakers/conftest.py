"""Loudspeaker fixtures: the real Mosquitto broker, simulated clusters, the monitor, clusters
and library scripts made through domain code. Controller ids are unique per test so tests
sharing the broker never hear each other; retained topics and sessions are cleared after."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pctt.loudspeakers import protocol
from pctt.loudspeakers.simulator import SimulatedCluster
from tests.conftest import service_or_skip

HOST, PORT = "127.0.0.1", 1883
#: Durations in tests: a 60-second item plays in 0.3 s.
TIME_SCALE = 0.005


def wait_for(
    predicate: Callable[[], Any], timeout: float = 10.0, tick: Callable[[], Any] | None = None
) -> Any:
    """Poll until *predicate* is true (calling *tick* first each round); fail after *timeout*."""
    deadline = time.monotonic() + timeout
    while True:
        if tick is not None:
            tick()
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {predicate}")
        time.sleep(0.02)


def clear_retained(controller_ids: list[str], host: str = HOST, port: int = PORT) -> None:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    try:
        client.connect(host, port)
    except OSError:
        return
    client.loop_start()
    for cid in controller_ids:
        for kind in (protocol.STATE, protocol.SCHEDULE):
            client.publish(protocol.topic(cid, kind), b"", qos=1, retain=True).wait_for_publish(2)
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def broker() -> tuple[str, int]:
    service_or_skip(HOST, PORT, "Mosquitto")
    return HOST, PORT


@pytest.fixture
def cid() -> Callable[[str], str]:
    """A controller id unique to this test run: cid("a") → "T-3f9a…-a"."""
    run = uuid.uuid4().hex[:8]
    return lambda name: f"T{run}-{name}"


@pytest.fixture
def sims(broker: tuple[str, int]) -> Iterator[Callable[..., SimulatedCluster]]:
    started: list[SimulatedCluster] = []

    def start(controller_id: str, **options: Any) -> SimulatedCluster:
        options.setdefault("heartbeat_s", 0.5)
        options.setdefault("time_scale", TIME_SCALE)
        sim = SimulatedCluster(controller_id, host=broker[0], port=broker[1], **options).start()
        started.append(sim)
        assert sim.connected.wait(10), "simulated cluster did not connect"
        return sim

    yield start
    for sim in started:
        sim.stop(forget=True)
    clear_retained([s.controller_id for s in started], *broker)


@pytest.fixture
def monitor(broker: tuple[str, int], db: None) -> Iterator[Any]:
    from pctt.loudspeakers.monitor import Monitor

    mon = Monitor(host=broker[0], port=broker[1], client_id=f"pctt-test-{uuid.uuid4().hex[:8]}")
    mon.start()
    assert mon.connected.wait(10)
    yield mon
    mon.stop(forget=True)


@pytest.fixture(scope="module")
def module_ward(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The demo ward (core only) and its plan, loaded once per module in a transaction rolled
    back at the module's end; each test runs in a savepoint within it."""
    from django.db import transaction
    from django.test import override_settings

    from pctt.areas.models import AdminUnit
    from pctt.demo.load import WARD_CODE, load_demo
    from pctt.plans import demo as plans_demo

    var = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo(full_reference=False, app_content=False)
            ward = AdminUnit.objects.get(code=WARD_CODE)
            plans_demo.load(ward)
            yield ward
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def ward(module_ward: Any, db: None) -> Any:
    return module_ward


@pytest.fixture
def groups(ward: Any) -> list[Any]:
    from pctt.areas.models import AdminUnit

    return list(AdminUnit.objects.groups().filter(parent=ward).order_by("code"))


@pytest.fixture
def users(ward: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def make_cluster(ward: Any) -> Callable[..., Any]:
    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers.models import ClusterDevice

    def make(controller_id: str, *, group: Any = None, **device: Any) -> LoudspeakerCluster:
        from pctt.areas.models import AdminUnit

        group = group or AdminUnit.objects.groups().filter(parent=ward).order_by("code").first()
        cluster = LoudspeakerCluster.objects.create(
            name=f"Cụm loa {controller_id}", controller_id=controller_id, area=group
        )
        device.setdefault("heartbeat_s", 0.5)
        ClusterDevice.objects.create(cluster=cluster, **device)
        return cluster

    return make


@pytest.fixture
def script_page(db: None, settings: Any, tmp_path: Any) -> Callable[..., Any]:
    from pctt.library.models import LoudspeakerScriptPage
    from pctt.library.setup import ensure_library

    settings.MEDIA_ROOT = tmp_path / "media"

    def make(title: str = "Chuẩn bị mùa mưa bão", text: str = "Bà con chuẩn bị đèn pin.") -> Any:
        index = ensure_library()
        page = LoudspeakerScriptPage(
            title=title,
            slug=uuid.uuid4().hex[:12],
            summary=title,
            programme_text=text,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make
