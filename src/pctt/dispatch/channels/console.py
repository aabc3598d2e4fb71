"""Stub provider for every channel: writes a line to the log (addresses masked)."""

from __future__ import annotations

import logging

from pctt.dispatch.channels.base import Message, Provider, SendResult, scrub

logger = logging.getLogger("pctt.dispatch.console")


class ConsoleProvider(Provider):
    kind = "console"
    supports_idempotency = True  # nothing leaves the machine: resending is harmless

    def try_send(self, message: Message) -> SendResult:
        logger.info(
            "[%s] %s → %s: %s",
            message.status,
            message.channel,
            scrub(message.to),
            (message.subject or message.text or str(dict(message.payload)))[:160],
        )
        return SendResult(provider_message_id=f"console-{message.delivery_id}")
