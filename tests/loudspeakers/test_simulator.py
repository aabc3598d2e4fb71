"""The simulated controllers over the real broker: priorities (Circular 39/2020), cancel,
receipts. Items are published the way the server publishes them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pctt.loudspeakers import protocol as p
from pctt.loudspeakers.simulator import SimulatedCluster
from tests.loudspeakers.conftest import TIME_SCALE, wait_for


@pytest.fixture
def publish(broker: tuple[str, int]) -> Iterator[Callable[[str, str, dict[str, Any]], None]]:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    client.connect(*broker)
    client.loop_start()

    def send(controller_id: str, kind: str, body: dict[str, Any]) -> None:
        client.publish(p.topic(controller_id, kind), json.dumps(body), qos=1).wait_for_publish(5)

    yield send
    client.disconnect()
    client.loop_stop()


def played(sim: SimulatedCluster) -> list[tuple[str, bool, bool]]:
    return [(r.item_id, r.completed, r.resumed) for r in sim.played if r.event == "played"]


def test_an_emergency_interrupts_the_programme_which_then_resumes(
    sims: Callable[..., SimulatedCluster], cid: Callable[[str], str], publish: Any
) -> None:
    sim = sims(cid("a"))
    # A 100-second programme item (0.5 s here), then an emergency warning arrives mid-way.
    publish(sim.controller_id, p.PLAY, {"id": "ban-tin", "title": "Bản tin", "duration_s": 100})
    wait_for(lambda: sim.current is not None and sim.current.item.id == "ban-tin")
    time.sleep(100 * TIME_SCALE * 0.4)
    publish(
        sim.controller_id,
        p.PLAY,
        {
            "key": "pctt-9-1-1-4",
            "priority": "emergency",
            "script": "Lũ lớn, sơ tán ngay.",
            "duration_s": 20,
            "reference": "alert:9:v1",
        },
    )
    wait_for(lambda: len(played(sim)) == 3)
    assert played(sim) == [
        ("ban-tin", False, False),  # interrupted at once
        ("pctt-9-1-1-4", True, False),  # the warning played in full
        ("ban-tin", True, True),  # the programme resumed where it stopped
    ]
    receipts = [r for r in sim.played if r.event == "played"]
    heard = receipts[0].duration_s + receipts[2].duration_s
    assert heard == pytest.approx(100, abs=100 * 0.2)
    assert receipts[1].started_at <= receipts[2].started_at


def test_a_priority_item_goes_first_in_the_next_slot(
    sims: Callable[..., SimulatedCluster], cid: Callable[[str], str], publish: Any
) -> None:
    sim = sims(cid("b"))
    slot = time.time() + 0.8
    publish(
        sim.controller_id,
        p.SCHEDULE,
        {
            "version": 1,
            "items": [
                {"id": "s1", "duration_s": 20, "at": slot},
                {"id": "s2", "duration_s": 20, "at": slot},
            ],
        },
    )
    wait_for(lambda: sim.schedule.version == 1)
    publish(sim.controller_id, p.PLAY, {"id": "uu-tien", "priority": "priority", "duration_s": 20})
    time.sleep(0.2)
    assert played(sim) == []  # it waits for the slot rather than playing at once
    wait_for(lambda: len(played(sim)) == 3)
    assert [i for i, _c, _r in played(sim)] == ["uu-tien", "s1", "s2"]
    assert min(r.started_at for r in sim.played if r.event == "played") >= slot


def test_cancel_removes_a_warning_from_queue_and_schedule_but_keeps_the_cancel_notice(
    sims: Callable[..., SimulatedCluster], cid: Callable[[str], str], publish: Any
) -> None:
    sim = sims(cid("c"))
    later = time.time() + 60
    publish(
        sim.controller_id,
        p.SCHEDULE,
        {
            "version": 2,
            "items": [
                {"id": "w-sched", "duration_s": 5, "at": later, "reference": "alert:7:v1"},
                {"id": "prog", "duration_s": 5, "at": later},
            ],
        },
    )
    publish(sim.controller_id, p.PLAY, {"id": "long", "duration_s": 200})
    publish(sim.controller_id, p.PLAY, {"id": "w1", "duration_s": 5, "reference": "alert:7:v1"})
    publish(sim.controller_id, p.PLAY, {"id": "w2", "duration_s": 5, "reference": "alert:7:v2"})
    publish(sim.controller_id, p.PLAY, {"id": "other", "duration_s": 5, "reference": "alert:70:v1"})
    wait_for(lambda: {"w1", "w2", "other"} <= {i.id for i in sim.queued()})
    publish(
        sim.controller_id,
        p.COMMAND,
        {"cmd": "cancel", "reference_prefix": "alert:7:", "keep": "alert:7:v3"},
    )
    publish(sim.controller_id, p.PLAY, {"id": "huy", "duration_s": 5, "reference": "alert:7:v3"})
    wait_for(lambda: "huy" in {i.id for i in sim.queued()})
    assert [i.id for i in sim.queued()] == ["other", "huy", "prog"]


def test_a_repeated_message_plays_once(
    sims: Callable[..., SimulatedCluster], cid: Callable[[str], str], publish: Any
) -> None:
    sim = sims(cid("d"))
    for _ in range(3):
        publish(sim.controller_id, p.PLAY, {"key": "pctt-1-1-1-4", "script": "Một hai ba."})
    wait_for(lambda: len(played(sim)) >= 1)
    time.sleep(0.3)
    assert [i for i, _c, _r in played(sim)] == ["pctt-1-1-1-4"]


def test_garbage_on_the_device_topics_is_ignored_and_the_device_keeps_working(
    sims: Callable[..., SimulatedCluster], cid: Callable[[str], str], broker: Any
) -> None:
    import paho.mqtt.client as mqtt

    sim = sims(cid("e"))
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    client.connect(*broker)
    client.loop_start()
    for kind, payload in [
        (p.PLAY, b"\x00\xff"),
        (p.PLAY, b'{"priority": "emergency"}'),
        (p.SCHEDULE, b'{"version": "x"}'),
        (p.COMMAND, b"[]"),
        (p.PLAY, b'{"id": "ok", "duration_s": 4}'),
    ]:
        client.publish(p.topic(sim.controller_id, kind), payload, qos=1).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()
    wait_for(lambda: [i for i, _c, _r in played(sim)] == ["ok"])
