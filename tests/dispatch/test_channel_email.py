"""SMTP adapter against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message as MimeMessage
from email.policy import default as default_policy
from typing import Any

import pytest

from pctt.dispatch.channels.base import Message, PermanentError, RetryableError
from pctt.dispatch.channels.email import SmtpProvider

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


class Handler:
    def __init__(self) -> None:
        self.received: list[MimeMessage] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    port = _free_port()
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _message(to: str, **kw: Any) -> Message:
    return Message(
        delivery_id=1,
        idempotency_key="pctt-1-1-5-2",
        channel=2,
        to=to,
        subject="[DIỄN TẬP] Cảnh báo lũ",
        text="Sơ tán ngay khỏi vùng trũng.",
        html="<p>Sơ tán ngay</p>",
        unsubscribe_url="https://pctt.example.org/dang-ky/huy/abc/",
        **kw,
    )


def _provider(port: int) -> SmtpProvider:
    return SmtpProvider(
        "smtp", {"host": "127.0.0.1", "port": port, "from": "canhbao@pctt.example.org"}
    )


def test_message_arrives_with_vietnamese_subject_both_parts_and_unsubscribe_header(
    smtp_server: tuple[Handler, int],
) -> None:
    handler, port = smtp_server
    provider = _provider(port)
    result = provider.send(_message("cu-dan@example.org", priority="emergency"))
    provider.send(_message("cu-dan-2@example.org"))  # same connection reused
    provider.close()
    assert len(handler.received) == 2
    mail = handler.received[0]
    assert mail["Subject"] == "[DIỄN TẬP] Cảnh báo lũ"
    assert mail["Message-ID"].strip() == result.provider_message_id
    assert result.provider_message_id == "<pctt-1-1-5-2@pctt.example.org>"
    assert mail["List-Unsubscribe"] == "<https://pctt.example.org/dang-ky/huy/abc/>"
    assert mail["Importance"] == "high"
    assert mail.get_body(("plain",)).get_content().strip() == "Sơ tán ngay khỏi vùng trũng."  # type: ignore[union-attr]
    assert "<p>Sơ tán ngay</p>" in mail.get_body(("html",)).get_content()  # type: ignore[union-attr]


def test_5xx_refusal_is_permanent_and_4xx_is_retryable(smtp_server: tuple[Handler, int]) -> None:
    _handler, port = smtp_server
    provider = _provider(port)
    with pytest.raises(PermanentError) as permanent:
        provider.send(_message("nobody@example.org"))
    assert "550" in permanent.value.reason and "nobody@" not in permanent.value.reason
    with pytest.raises(RetryableError):
        provider.send(_message("busy@example.org"))
    provider.close()


def test_server_down_is_retryable() -> None:
    with pytest.raises(RetryableError):
        _provider(_free_port()).send(_message("cu-dan@example.org"))
