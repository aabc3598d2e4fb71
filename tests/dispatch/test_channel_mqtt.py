"""Loudspeaker adapter against the real Mosquitto broker at 127.0.0.1:1883."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest

from pctt.dispatch.channels.base import ConfigurationError, Message, RetryableError
from pctt.dispatch.channels.mqtt import MqttLoudspeakerProvider
from tests.conftest import service_or_skip

mqtt = pytest.importorskip("paho.mqtt.client")


def _message(controller: str) -> Message:
    return Message(
        delivery_id=3,
        idempotency_key="pctt-5-2-1-4",
        channel=4,
        to=controller,
        payload={"text": "[DIỄN TẬP] Lũ lớn, sơ tán ngay.", "audio_url": "/media/a.mp3"},
        priority="emergency",
        status="exercise",
    )


def test_publish_reaches_a_subscriber_of_the_cluster_topic_with_priority() -> None:
    service_or_skip("127.0.0.1", 1883, "Mosquitto")
    controller = f"loa-{uuid.uuid4().hex[:8]}"
    received: list[dict[str, Any]] = []
    got = threading.Event()
    subscribed = threading.Event()
    listener = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)

    def on_connect(client: Any, *_args: Any) -> None:
        client.subscribe(f"pctt/loa/{controller}/phat", qos=1)

    def on_message(_client: Any, _userdata: Any, msg: Any) -> None:
        received.append(json.loads(msg.payload))
        got.set()

    listener.on_connect = on_connect
    listener.on_subscribe = lambda *_a: subscribed.set()
    listener.on_message = on_message
    listener.connect("127.0.0.1", 1883)
    listener.loop_start()
    try:
        assert subscribed.wait(5)
        provider = MqttLoudspeakerProvider("loa", {"timeout": 5})
        result = provider.send(_message(controller))
        provider.close()
        assert got.wait(5)
    finally:
        listener.disconnect()
        listener.loop_stop()
    assert result.provider_message_id.startswith("mqtt-")
    assert received == [
        {
            "text": "[DIỄN TẬP] Lũ lớn, sơ tán ngay.",
            "audio_url": "/media/a.mp3",
            "priority": "emergency",
            "status": "exercise",
            "key": "pctt-5-2-1-4",
        }
    ]


@pytest.mark.parametrize("controller", ["", "a/b", "#", "x+y"])
def test_controller_ids_that_would_widen_the_topic_are_refused(controller: str) -> None:
    with pytest.raises(ConfigurationError):
        MqttLoudspeakerProvider("loa", {}).send(_message(controller))


def test_broker_down_is_retryable() -> None:
    with pytest.raises(RetryableError):
        MqttLoudspeakerProvider("loa", {"port": 9, "timeout": 1}).send(_message("loa-1"))
