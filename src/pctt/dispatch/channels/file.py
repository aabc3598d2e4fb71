"""Stub provider for every channel: appends one JSON line per message to a file.

Used by drills, tests and benchmarks as a loopback that counts what was "sent". The file holds
addresses in clear (it is the message), so keep it under ``var/``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from pctt.dispatch.channels.base import ConfigurationError, Message, Provider, SendResult

_lock = threading.Lock()


class FileProvider(Provider):
    kind = "file"
    supports_idempotency = True

    def try_send(self, message: Message) -> SendResult:
        path = self.options.get("path")
        if not path:
            raise ConfigurationError("option path is missing")
        line = json.dumps(
            {
                "delivery": message.delivery_id,
                "key": message.idempotency_key,
                "channel": message.channel,
                "to": message.to,
                "status": message.status,
                "priority": message.priority,
                "subject": message.subject,
                "text": message.text,
                "payload": dict(message.payload),
            },
            ensure_ascii=False,
        )
        with _lock, Path(str(path)).open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return SendResult(provider_message_id=f"file-{message.delivery_id}")
