"""Readings over MQTT: one subscription, the station code taken from the topic.

The topic pattern has exactly one `+`, where the station code stands, e.g.
`pctt/tram/+/quan-trac`. Who may publish on a station's topic is the broker's job (its ACL);
we check that the payload is sane and only ever write to the station its topic names.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from django.db import close_old_connections

from pctt.hazards import actions
from pctt.hazards.core.readings import Reason
from pctt.hazards.ingest import MAX_BATCH, RAW_KEPT, BatchResult
from pctt.hazards.models import QuarantinedReading, Station
from pctt.hazards.models.observations import Source

DEFAULT_PATTERN = "pctt/tram/+/quan-trac"
MAX_PAYLOAD_BYTES = 256 * 1024
logger = logging.getLogger("pctt.hazards.mqtt")


def check_pattern(pattern: str) -> None:
    levels = pattern.split("/")
    if levels.count("+") != 1 or "#" in pattern:
        raise ValueError("the topic pattern needs exactly one '+' (the station code) and no '#'")


def station_code(pattern: str, topic: str) -> str | None:
    wanted, got = pattern.split("/"), topic.split("/")
    if len(wanted) != len(got):
        return None
    code = None
    for want, have in zip(wanted, got, strict=True):
        if want == "+":
            code = have
        elif want != have:
            return None
    return code


def _quarantine(code: str, reason: str, detail: str, payload: bytes) -> None:
    QuarantinedReading.objects.create(
        source=Source.MQTT,
        station_code=code[:32],
        reason=reason,
        detail=detail[:300],
        raw=payload[:RAW_KEPT].decode("utf-8", errors="replace"),
    )


def handle(pattern: str, topic: str, payload: bytes) -> BatchResult | None:
    """One MQTT message: a reading object, a list of them, or {"readings": [...]}."""
    code = station_code(pattern, topic) or ""
    station = Station.objects.filter(code=code).first() if code else None
    if station is None:
        _quarantine(code or topic, Reason.UNKNOWN_STATION, f"no station for topic {topic}", payload)
        return None
    if len(payload) > MAX_PAYLOAD_BYTES:
        _quarantine(code, Reason.MALFORMED, "payload too large", payload)
        return None
    try:
        data: Any = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        _quarantine(code, Reason.MALFORMED, f"payload is not JSON: {exc}", payload)
        return None
    if isinstance(data, dict) and "readings" in data:
        data = data["readings"]
    readings = data if isinstance(data, list) else [data]
    if len(readings) > MAX_BATCH:
        _quarantine(code, Reason.MALFORMED, f"more than {MAX_BATCH} readings", payload)
        return None
    return actions.receive_readings(readings, source=Source.MQTT, only_station=station)


def subscribe(
    *,
    host: str,
    port: int,
    pattern: str,
    stop: threading.Event,
    ready: threading.Event | None = None,
    username: str | None = None,
    password: str | None = None,
) -> None:
    """Run until `stop` is set; reconnects on its own (paho's loop)."""
    import paho.mqtt.client as mqtt

    check_pattern(pattern)

    def on_connect(client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection refused: %s", reason)
            return
        client.subscribe(pattern, qos=1)

    def on_subscribe(*_args: Any) -> None:
        if ready is not None:
            ready.set()

    def on_message(_client: Any, _userdata: Any, message: Any) -> None:
        close_old_connections()
        try:
            result = handle(pattern, message.topic, message.payload)
            if result is not None and result.rejected:
                logger.info("%s: %d readings rejected", message.topic, len(result.rejected))
        except Exception:  # one bad message must not stop the subscriber
            logger.exception("MQTT message on %s failed", message.topic)

    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    if username:
        client.username_pw_set(username, password)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    client.connect(host, port, keepalive=30)
    client.loop_start()
    try:
        stop.wait()
    finally:
        client.loop_stop()
        client.disconnect()
        close_old_connections()
