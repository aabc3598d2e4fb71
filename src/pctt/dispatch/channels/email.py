"""E-mail over SMTP (smtplib): one connection reused across messages.

Options: ``host``, ``port`` (25), ``from`` (sender address), ``starttls`` (false), ``ssl``
(false), ``username``, ``password_env`` (name of the environment variable holding the password),
``timeout`` (10 s). SMTP 4xx replies and connection problems are retryable, 5xx permanent.
"""

from __future__ import annotations

import contextlib
import smtplib
from email.message import EmailMessage
from typing import Any

from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    Provider,
    RetryableError,
    SendResult,
    secret,
)


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _classify(code: int, text: str) -> Exception:
    reason = f"SMTP {code} {text}"
    return PermanentError(reason) if 500 <= code < 600 else RetryableError(reason)


class SmtpProvider(Provider):
    kind = "smtp"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            try:
                if self._smtp.noop()[0] == 250:
                    return self._smtp
            except smtplib.SMTPException:
                pass
            self.close()
        host = str(self.options.get("host", ""))
        if not host:
            raise ConfigurationError("option host is missing")
        port = int(self.options.get("port", 25))
        timeout = float(self.options.get("timeout", 10))
        cls = smtplib.SMTP_SSL if self.options.get("ssl") else smtplib.SMTP
        smtp = cls(host, port, timeout=timeout)
        if self.options.get("starttls"):
            smtp.starttls()
        username = str(self.options.get("username", ""))
        if username:
            smtp.login(username, secret(self.options, "password_env"))
        self._smtp = smtp
        return smtp

    def build(self, message: Message) -> EmailMessage:
        sender = str(self.options.get("from", ""))
        if not sender:
            raise ConfigurationError("option from is missing")
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        domain = sender.partition("@")[2] or "pctt.invalid"
        # The same Message-ID on every attempt: mail systems drop the duplicate.
        mail["Message-ID"] = f"<{message.idempotency_key}@{domain}>"
        mail["X-PCTT-Idempotency-Key"] = message.idempotency_key
        if message.priority == "emergency":
            mail["Importance"] = "high"
            mail["X-Priority"] = "1"
        if message.unsubscribe_url:
            mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mail.set_content(message.text or message.subject)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        return mail

    def try_send(self, message: Message) -> SendResult:
        mail = self.build(message)
        smtp = self._connect()
        try:
            refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, _text(text)) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise _classify(exc.smtp_code, _text(exc.smtp_error)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise RetryableError(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, _text(text))
        return SendResult(provider_message_id=str(mail["Message-ID"]))

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None
