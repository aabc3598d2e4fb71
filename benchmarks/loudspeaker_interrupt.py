"""How fast an emergency interrupts N simulated loudspeaker clusters over the local Mosquitto.

N clusters play a long programme; one emergency item is published to each cluster's `phat`
topic (as dispatch's MQTT adapter does). Measured: from the first publish to each cluster's
interruption (device clock = this machine), median and worst. Baseline in the same run: the
broker's plain round trip (publish → a subscriber receives) for the same N messages, so the
figure shows what the simulator and its priority handling add. Prints one JSON line.
Run: uv run python benchmarks/loudspeaker_interrupt.py [N]
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import uuid

import paho.mqtt.client as mqtt

from pctt.loudspeakers import protocol as p
from pctt.loudspeakers.simulator import SimulatedCluster


def broker_round_trip(n: int) -> list[float]:
    topic_root = f"bench/{uuid.uuid4().hex[:8]}"
    got: dict[str, float] = {}
    done = threading.Event()
    subscribed = threading.Event()
    sub = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    sub.on_connect = lambda c, *_a: c.subscribe(f"{topic_root}/#", qos=1)
    sub.on_subscribe = lambda *_a: subscribed.set()

    def on_message(_c: object, _u: object, m: mqtt.MQTTMessage) -> None:
        got[m.topic] = time.time()
        if len(got) == n:
            done.set()

    sub.on_message = on_message
    sub.connect("127.0.0.1", 1883)
    sub.loop_start()
    subscribed.wait(10)
    pub = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    start = time.time()
    for i in range(n):
        pub.publish(f"{topic_root}/{i}", b"{}", qos=1)
    done.wait(30)
    for client in (pub, sub):
        client.disconnect()
        client.loop_stop()
    return [t - start for t in got.values()]


def interrupt(n: int) -> list[float]:
    run = uuid.uuid4().hex[:6]
    sims = [
        SimulatedCluster(f"B{run}-{i}", heartbeat_s=30, time_scale=1.0).start() for i in range(n)
    ]
    for sim in sims:
        sim.connected.wait(10)
        sim.receive_item(p.Item(id="programme", duration_s=600))
    pub = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    body = p.encode({"key": "bench", "priority": "emergency", "duration_s": 5, "reference": "b"})
    start = time.time()
    for sim in sims:
        pub.publish(p.topic(sim.controller_id, p.PLAY), body, qos=1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
        any(not r.completed for r in s.played if r.event == "played") for s in sims
    ):
        time.sleep(0.005)
    delays = []
    for sim in sims:
        cut = [r for r in sim.played if r.event == "played" and not r.completed]
        if cut:
            delays.append(cut[0].started_at + cut[0].duration_s - start)
    for sim in sims:
        sim.stop(forget=True)
        # Leave nothing retained on the shared broker.
        pub.publish(p.topic(sim.controller_id, p.STATE), b"", qos=1, retain=True).wait_for_publish(
            5
        )
    pub.disconnect()
    pub.loop_stop()
    return delays


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    baseline = broker_round_trip(n)
    delays = interrupt(n)
    print(
        json.dumps(
            {
                "benchmark": "loudspeaker_emergency_interrupt",
                "clusters": n,
                "interrupted": len(delays),
                "median_ms": round(statistics.median(delays) * 1000, 1),
                "worst_ms": round(max(delays) * 1000, 1),
                "baseline_broker_median_ms": round(statistics.median(baseline) * 1000, 1),
                "baseline_broker_worst_ms": round(max(baseline) * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
