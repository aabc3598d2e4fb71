"""SMS through a GSM modem on the ward's own computer: AT commands over a serial port (pyserial).

Many communes have no SMS contract and no internet; a USB 3G/4G dongle with a SIM card sends
the warning through the mobile network. Options of the ``ChannelProvider`` row:

``port``            the serial device (``/dev/ttyUSB2``, ``COM5``) — required
``baudrate``        default 115200
``mode``            ``"pdu"`` (default, ``AT+CMGF=0``: GSM 7-bit or UCS-2, long messages
                    concatenated with a UDH) or ``"text"`` (``AT+CMGF=1`` with ``AT+CSCS="UCS2"``
                    for modems without PDU mode; a long message goes as separate SMS, one per
                    segment, since text mode cannot carry a concatenation header)
``pin_env``         variable holding the SIM PIN, when the SIM asks for one
``timeout``         seconds to wait for the network to accept one SMS (default 60)
``cms_errors``      ``{"331": "retryable", …}``: added to :data:`CMS_ERRORS`

``+CMS ERROR`` codes (3GPP TS 27.005 §3.2.5) are data: ``permanent`` fails the message,
``retryable`` tries again later (perhaps through the next provider), ``configuration`` means
the modem or SIM needs a person and moves traffic to the next provider. Unknown codes are
retryable: attempts are bounded by the worker's policy.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Mapping
from typing import Any

import serial

from pctt.core.sms import split
from pctt.dispatch.channels.base import (
    ConfigurationError,
    Message,
    PermanentError,
    Provider,
    RetryableError,
    SendResult,
    secret,
)
from pctt.dispatch.channels.gsm import submit_tpdus

CMS_ERRORS: dict[int, str] = {
    1: "permanent",  # unassigned (unallocated) number
    8: "permanent",  # operator determined barring
    10: "permanent",  # call barred
    21: "permanent",  # short message transfer rejected
    27: "retryable",  # destination out of service
    28: "permanent",  # unidentified subscriber
    29: "permanent",  # facility rejected
    30: "permanent",  # unknown subscriber
    38: "retryable",  # network out of order
    41: "retryable",  # temporary failure
    42: "retryable",  # congestion
    47: "retryable",  # resources unavailable
    50: "permanent",  # requested facility not subscribed
    96: "permanent",  # invalid mandatory information
    300: "retryable",  # ME failure
    302: "configuration",  # operation not allowed
    304: "permanent",  # invalid PDU mode parameter
    305: "permanent",  # invalid text mode parameter
    310: "configuration",  # SIM not inserted
    311: "configuration",  # SIM PIN required
    313: "configuration",  # SIM failure
    316: "configuration",  # SIM PUK required
    330: "configuration",  # SMSC address unknown
    331: "retryable",  # no network service
    332: "retryable",  # network timeout
    500: "retryable",  # unknown error
}
FINAL = ("OK", "ERROR", "+CMS ERROR", "+CME ERROR")


def cms_outcome(code: int, overrides: Mapping[str, Any] | None = None) -> str:
    table = dict(CMS_ERRORS)
    for key, value in dict(overrides or {}).items():
        if str(key).isdigit():
            table[int(key)] = str(value)
    return table.get(code, "retryable")


class ModemError(Exception):
    def __init__(self, line: str) -> None:
        self.line = line
        code = line.rpartition(":")[2].strip()
        self.code = int(code) if code.isdigit() else -1
        super().__init__(line)


class GsmModemProvider(Provider):
    kind = "gsm_modem"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._port: serial.Serial | None = None
        self._buffer = b""

    # -- the serial line ----------------------------------------------------------------------
    def _read_line(self, deadline: float) -> str:
        assert self._port is not None
        while b"\n" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the modem did not answer")
            self._buffer += self._port.read(max(1, self._port.in_waiting))
        line, _sep, self._buffer = self._buffer.partition(b"\n")
        return line.decode("ascii", "replace").strip()

    def _wait_prompt(self, deadline: float) -> None:
        assert self._port is not None
        while b">" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("the modem did not ask for the message")
            self._buffer += self._port.read(max(1, self._port.in_waiting))
            if b"ERROR" in self._buffer and b"\n" in self._buffer.split(b"ERROR", 1)[1]:
                self._final(deadline)  # raises
        self._buffer = self._buffer.split(b">", 1)[1].lstrip(b" ")

    def _final(self, deadline: float) -> list[str]:
        """Lines up to the final result code; ModemError on an error result."""
        lines: list[str] = []
        while True:
            line = self._read_line(deadline)
            if not line:
                continue
            if line.startswith(FINAL):
                if line == "OK":
                    return lines
                raise ModemError(line)
            lines.append(line)

    def _at(self, command: str, timeout: float = 5.0) -> list[str]:
        assert self._port is not None
        self._port.write(command.encode("ascii") + b"\r")
        lines = self._final(time.monotonic() + timeout)
        return [line for line in lines if line != command]  # the echo, if still on

    def _open(self) -> serial.Serial:
        if self._port is not None:
            return self._port
        device = str(self.options.get("port", ""))
        if not device:
            raise ConfigurationError("option port (the serial device) is missing")
        try:
            self._port = serial.Serial(
                device, int(self.options.get("baudrate", 115200)), timeout=0.2
            )
        except (serial.SerialException, ValueError) as exc:
            raise ConfigurationError(f"cannot open the serial port: {exc}") from exc
        self._buffer = b""
        try:
            self._port.reset_input_buffer()
            self._at("AT")
            self._at("ATE0")
            self._at("AT+CMEE=1")
            if not any("READY" in line for line in self._at("AT+CPIN?")):
                pin = secret(self.options, "pin_env", required=False)
                if not pin:
                    raise ConfigurationError("the SIM asks for a PIN and pin_env is not set")
                self._at(f'AT+CPIN="{pin}"', timeout=10)
            if self.options.get("mode", "pdu") == "text":
                self._at("AT+CMGF=1")
                self._at('AT+CSCS="UCS2"')
                self._at("AT+CSMP=17,167,0,8")
            else:
                self._at("AT+CMGF=0")
        except ModemError as exc:
            self._drop()
            raise ConfigurationError(f"modem set-up refused: {exc.line}") from exc
        except (TimeoutError, serial.SerialException, OSError):
            self._drop()
            raise
        return self._port

    def _drop(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()

    # -- sending ------------------------------------------------------------------------------
    def _cmgs(self, header: str, body: str) -> str:
        assert self._port is not None
        deadline = time.monotonic() + float(self.options.get("timeout", 60))
        self._port.write(header.encode("ascii") + b"\r")
        self._wait_prompt(deadline)
        self._port.write(body.encode("ascii") + b"\x1a")
        lines = self._final(deadline)
        found = [line.split(":", 1)[1].strip() for line in lines if line.startswith("+CMGS:")]
        return found[0] if found else ""

    def _raise_for(self, exc: ModemError, sent: int) -> None:
        outcome = cms_outcome(exc.code, self.options.get("cms_errors"))
        reason = f"modem: {exc.line}"
        if sent and outcome != "configuration":
            raise PermanentError(
                f"{reason} after {sent} segment(s) went; not retried to avoid a duplicate"
            ) from exc
        if outcome == "permanent":
            raise PermanentError(reason) from exc
        if outcome == "configuration":
            raise ConfigurationError(reason) from exc
        raise RetryableError(reason) from exc

    def try_send(self, message: Message) -> SendResult:
        if not message.to.lstrip("+").isdigit():
            raise PermanentError("destination is not an E.164 number")
        sent = 0
        references: list[str] = []
        try:
            self._open()
            if self.options.get("mode", "pdu") == "text":
                number = message.to.encode("utf-16-be").hex().upper()
                for part in split(message.text):
                    body = part.encode("utf-16-be", "surrogatepass").hex().upper()
                    references.append(self._cmgs(f'AT+CMGS="{number}",145', body))
                    sent += 1
            else:
                reference = random.randrange(256)  # noqa: S311 - a concatenation reference
                for length, pdu in submit_tpdus(message.to, message.text, reference=reference):
                    references.append(self._cmgs(f"AT+CMGS={length}", pdu))
                    sent += 1
        except ModemError as exc:
            self._raise_for(exc, sent)
        except (TimeoutError, serial.SerialException, OSError) as exc:
            self._drop()
            if sent:
                raise PermanentError(
                    f"modem stopped answering after {sent} segment(s); not retried"
                ) from exc
            raise RetryableError(f"modem: {type(exc).__name__}: {exc}") from exc
        return SendResult(provider_message_id=f"mr-{references[0]}" if references else "")

    def close(self) -> None:
        self._drop()
