"""Loudspeaker clusters over MQTT (paho-mqtt), QoS 1.

Options: ``host`` (127.0.0.1), ``port`` (1883), ``topic`` (template, default
``pctt/loa/{controller_id}/phat``), ``username``, ``password_env``, ``timeout`` (10 s), ``tls``.
The payload is the JSON the caller rendered for the ``mqtt`` channel, with ``priority``
(normal / priority / emergency), ``status``, ``reference`` and our idempotency ``key`` added so a
controller can ignore a repeat.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    Provider,
    RetryableError,
    SendResult,
    secret,
)

DEFAULT_TOPIC = "pctt/loa/{controller_id}/phat"


def topic_for(template: str, controller_id: str) -> str:
    if any(ch in controller_id for ch in "+#/\x00") or not controller_id:
        raise ConfigurationError("controller id is not usable in an MQTT topic")
    return template.format(controller_id=controller_id)


def payload_for(message: Message) -> bytes:
    body: dict[str, Any] = dict(message.payload)
    body.setdefault("priority", message.priority)
    body.setdefault("status", message.status)
    body["key"] = message.idempotency_key
    return json.dumps(body, ensure_ascii=False).encode()


class MqttLoudspeakerProvider(Provider):
    kind = "mqtt"
    supports_idempotency = True  # the controller drops a repeated key

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client: Any = None
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        import paho.mqtt.client as mqtt

        if self._client is not None and self._client.is_connected():
            return self._client
        self.close()
        client = mqtt.Client(
            callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"pctt-{self.name}",
            clean_session=True,
        )
        if self.options.get("username"):
            client.username_pw_set(
                str(self.options["username"]), secret(self.options, "password_env")
            )
        if self.options.get("tls"):
            client.tls_set()
        connected = threading.Event()
        client.on_connect = lambda *_args: connected.set()
        client.connect(
            str(self.options.get("host", "127.0.0.1")), int(self.options.get("port", 1883))
        )
        client.loop_start()
        if not connected.wait(float(self.options.get("timeout", 10))):
            client.loop_stop()
            raise RetryableError("MQTT broker did not answer the connection")
        self._client = client
        return client

    def try_send(self, message: Message) -> SendResult:
        topic = topic_for(str(self.options.get("topic", DEFAULT_TOPIC)), message.to)
        with self._lock:
            client = self._connect()
            info = client.publish(topic, payload_for(message), qos=1)
            try:
                info.wait_for_publish(timeout=float(self.options.get("timeout", 10)))
            except (ValueError, RuntimeError) as exc:
                raise RetryableError(f"MQTT publish failed: {exc}") from exc
            if not info.is_published():
                raise RetryableError("MQTT broker did not acknowledge the message in time")
        return SendResult(provider_message_id=f"mqtt-{info.mid}")

    def close(self) -> None:
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
            self._client = None
