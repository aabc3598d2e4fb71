"""Providers by channel in priority order, with failover.

Each provider keeps a window of its recent outcomes. When the share of errors in the window
crosses ``error_threshold`` the provider is demoted for ``cooldown`` seconds: it goes behind
every healthy provider of its channel, so traffic moves to the next one. After the cooldown it
gets a fresh window and its place back.
"""

from __future__ import annotations

import importlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pctt.dispatch.channels.base import Provider

#: ChannelProvider.kind → adapter class (imported when first used: paho only when MQTT is on).
KINDS: dict[str, str] = {
    "console": "pctt.dispatch.channels.console.ConsoleProvider",
    "file": "pctt.dispatch.channels.file.FileProvider",
    "smtp": "pctt.dispatch.channels.email.SmtpProvider",
    "sms_http": "pctt.dispatch.channels.sms_http.HttpSmsProvider",
    "mqtt": "pctt.dispatch.channels.mqtt.MqttLoudspeakerProvider",
    "smpp": "pctt.dispatch.channels.smpp.SmppProvider",
    "gsm_modem": "pctt.dispatch.channels.gsm_modem.GsmModemProvider",
    "messaging_app": "pctt.dispatch.channels.messaging_app.MessagingAppProvider",
    "webhook": "pctt.dispatch.channels.webhook.WebhookProvider",
}


def provider_class(kind: str) -> type[Provider]:
    dotted = KINDS[kind]
    module, _sep, name = dotted.rpartition(".")
    cls: type[Provider] = getattr(importlib.import_module(module), name)
    return cls


@dataclass
class _Entry:
    channel: int
    priority: int
    provider: Provider
    outcomes: deque[bool] = field(default_factory=deque)
    demoted_until: float = 0.0


class Registry:
    def __init__(
        self,
        entries: Iterable[tuple[int, int, Provider]] = (),
        *,
        error_threshold: float = 0.5,
        window: int = 20,
        min_samples: int = 3,
        cooldown: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.error_threshold = error_threshold
        self.window = window
        self.min_samples = min_samples
        self.cooldown = cooldown
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        for channel, priority, provider in entries:
            self.add(channel, priority, provider)

    def add(self, channel: int, priority: int, provider: Provider) -> None:
        self._entries[provider.name] = _Entry(
            channel, priority, provider, deque(maxlen=self.window)
        )

    def get(self, name: str) -> Provider | None:
        entry = self._entries.get(name)
        return entry.provider if entry else None

    def candidates(self, channel: int) -> list[Provider]:
        """Providers for *channel*: healthy ones by priority, then demoted ones."""
        now = self.clock()
        entries = [e for e in self._entries.values() if e.channel == channel]
        for entry in entries:
            if entry.demoted_until and entry.demoted_until <= now:
                entry.demoted_until = 0.0
                entry.outcomes.clear()
        entries.sort(key=lambda e: (e.demoted_until > now, e.priority, e.provider.name))
        return [e.provider for e in entries]

    def providers(self) -> list[Provider]:
        return [entry.provider for entry in self._entries.values()]

    def is_demoted(self, name: str) -> bool:
        entry = self._entries[name]
        return entry.demoted_until > self.clock()

    def record(self, name: str, *, ok: bool) -> None:
        entry = self._entries.get(name)
        if entry is None:
            return
        entry.outcomes.append(ok)
        failures = entry.outcomes.count(False)
        if (
            len(entry.outcomes) >= self.min_samples
            and failures / len(entry.outcomes) >= self.error_threshold
            and not entry.demoted_until
        ):
            entry.demoted_until = self.clock() + self.cooldown

    def close(self) -> None:
        for entry in self._entries.values():
            entry.provider.close()


def registry_from_db(**kwargs: object) -> Registry:
    """The enabled providers the ward configured in the back office."""
    from pctt.dispatch.models import ChannelProvider

    registry = Registry(**kwargs)  # type: ignore[arg-type]
    for row in ChannelProvider.objects.filter(enabled=True):
        cls = provider_class(row.kind)
        registry.add(
            row.channel,
            row.priority,
            cls(row.name, row.options, rate_per_second=row.rate_per_second),
        )
    return registry
