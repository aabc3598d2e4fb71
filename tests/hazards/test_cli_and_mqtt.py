"""`pctt hazards level`, CSV import, and MQTT ingest end to end on the real broker."""

from __future__ import annotations

import json
import queue
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from pctt.hazards import mqtt
from pctt.hazards.models import Observation, Proposal, QuarantinedReading
from tests.conftest import service_or_skip
from tests.hazards.factories import gauge

pytestmark = pytest.mark.django_db


def test_level_prints_the_alarm_level_and_distance_to_the_next() -> None:
    gauge(code="HN-TEST", thresholds=(9.5, 10.5, 11.5))
    out = StringIO()
    call_command(
        "hazards", "level", "--station", "HN-TEST", "--water-level", "10.62", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert (data["alarm_level"], data["next_level"], data["distance_to_next"]) == (2, 3, 0.88)
    assert data["phrase"] == "trên báo động II 0,12 m"
    assert data["source"] == "Quyết định thử nghiệm, Điều 1"


def test_csv_import_keeps_good_lines_and_quarantines_bad_ones(tmp_path: Path) -> None:
    gauge(code="CSV-01")
    now = timezone.now()
    lines = ["station,time,value,unit"]
    lines += [
        f"CSV-01,{(now - timedelta(hours=3 - i)).isoformat()},{2 + i / 10},m" for i in range(3)
    ]
    lines += ["CSV-01,not-a-time,2.0,m", f"NOPE,{now.isoformat()},2.0,m"]
    path = tmp_path / "readings.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = StringIO()
    call_command("hazards", "import-csv", str(path), stdout=out)
    assert "3 accepted, 0 duplicates, 2 quarantined" in out.getvalue()
    assert "line 5: malformed" in out.getvalue() and "line 6: unknown_station" in out.getvalue()
    assert Observation.objects.count() == 3


def test_mqtt_topic_names_the_station() -> None:
    assert mqtt.station_code("pctt/tram/+/quan-trac", "pctt/tram/TV-01/quan-trac") == "TV-01"
    assert mqtt.station_code("pctt/tram/+/quan-trac", "pctt/tram/TV-01/khac") is None
    with pytest.raises(ValueError, match=r"\+"):
        mqtt.check_pattern("pctt/#")


def test_mqtt_readings_end_to_end_on_the_real_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real Mosquitto; the subscriber hands each message to the main thread, which
    owns the test's database transaction."""
    service_or_skip("127.0.0.1", 1883, "Mosquitto")
    import paho.mqtt.client as paho

    received: queue.Queue[tuple[str, str, bytes]] = queue.Queue()
    real_handle = mqtt.handle
    monkeypatch.setattr(mqtt, "handle", lambda *args: received.put(args))

    gauge(code="MQTT-01", thresholds=(3.0, 4.0, 5.0))
    pattern = f"pctt-test/{time.monotonic_ns()}/+/quan-trac"
    stop, ready = threading.Event(), threading.Event()
    worker = threading.Thread(
        target=mqtt.subscribe,
        kwargs={
            "host": "127.0.0.1",
            "port": 1883,
            "pattern": pattern,
            "stop": stop,
            "ready": ready,
        },
    )
    worker.start()
    try:
        assert ready.wait(5), "subscriber did not subscribe"
        publisher = paho.Client(callback_api_version=paho.CallbackAPIVersion.VERSION2)
        publisher.connect("127.0.0.1", 1883)
        publisher.loop_start()
        topic = pattern.replace("+", "MQTT-01")
        now = timezone.now()
        good = [{"time": (now - timedelta(minutes=m)).isoformat(), "value": 5.1} for m in (2, 1)]
        publisher.publish(topic, json.dumps(good), qos=1).wait_for_publish(5)
        publisher.publish(topic, b"{not json", qos=1).wait_for_publish(5)
        publisher.publish(pattern.replace("+", "UNKNOWN"), b"{}", qos=1).wait_for_publish(5)
        publisher.loop_stop()
        publisher.disconnect()
        for _message in range(3):
            real_handle(*received.get(timeout=5))
    finally:
        stop.set()
        worker.join(5)
    assert Observation.objects.filter(station__code="MQTT-01").count() == 2
    assert sorted(QuarantinedReading.objects.values_list("reason", flat=True)) == [
        "malformed",
        "unknown_station",
    ]
    assert Proposal.objects.filter(station__code="MQTT-01", level=3).count() == 1
