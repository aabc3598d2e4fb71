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
``status_reports``  default true: ask the network for a status report of every SMS and have
                    the modem pass them on as ``+CDS:`` lines (``AT+CNMI=2,0,0,1,0``)

``+CMS ERROR`` codes (3GPP TS 27.005 §3.2.5) are data: ``permanent`` fails the message,
``retryable`` tries again later (perhaps through the next provider), ``configuration`` means
the modem or SIM needs a person and moves traffic to the next provider. Unknown codes are
retryable: attempts are bounded by the worker's policy.

Status reports arrive whenever the network has them, between or during commands; every line
read from the modem passes through :meth:`GsmModemProvider._unsolicited`, which keeps the
``+CDS:`` ones (parsed in :mod:`pctt.dispatch.channels.gsm_status`). The worker collects them
with :meth:`poll_reports` between batches and while idle (``Worker.collect_reports``) and applies
them like any other delivery report. A report names the message by its TP-MR, the number
``+CMGS`` returned, which is the ``mr-<n>`` provider message id; the segments of a long message
are tracked here so that the message counts as delivered only once every segment is, and fails
as soon as one fails. The TP-MR has 256 values: a report for a message sent 256 messages ago
that never got one could be taken for the new one; the receipts path only moves a delivery
forward, so at worst an old "sent" turns "delivered" or "failed".
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
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
    Report,
    RetryableError,
    SendResult,
    secret,
)
from pctt.dispatch.channels.gsm import submit_tpdus
from pctt.dispatch.channels.gsm_status import StatusReport, parse_pdu, parse_text, pdu_length

logger = logging.getLogger("pctt.dispatch.channels")
_HEX = re.compile(r"[0-9A-Fa-f]+")

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
        self._arrived: list[StatusReport] = []
        self._reports: list[Report] = []
        #: TP-MR of each segment of a long message → its message id, and the segments of each
        #: such message still waiting for a report (none once the message was reported).
        self._segment_of: dict[int, str] = {}
        self._waiting: dict[str, set[int]] = {}
        self._pdu_report: int | None = None  # "+CDS: <length>" seen; the PDU line is next

    @property
    def _wants_reports(self) -> bool:
        return bool(self.options.get("status_reports", True))

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
        before, _sep, self._buffer = self._buffer.partition(b">")
        self._buffer = self._buffer.lstrip(b" ")
        for raw in before.split(b"\n"):  # a status report may come just before the prompt
            self._unsolicited(raw.decode("ascii", "replace").strip())

    def _final(self, deadline: float) -> list[str]:
        """Lines up to the final result code; ModemError on an error result."""
        lines: list[str] = []
        while True:
            line = self._read_line(deadline)
            if not line or self._unsolicited(line):
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
            self._drain_input()
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
                self._at("AT+CSMP=49,167,0,8" if self._wants_reports else "AT+CSMP=17,167,0,8")
            else:
                self._at("AT+CMGF=0")
            if self._wants_reports:
                self._route_reports()
        except ModemError as exc:
            self._drop()
            raise ConfigurationError(f"modem set-up refused: {exc.line}") from exc
        except (TimeoutError, serial.SerialException, OSError):
            self._drop()
            raise
        return self._port

    def _route_reports(self) -> None:
        """Status reports straight to the serial line. A modem that refuses still sends; its
        deliveries stay "sent" (no report), which is what they were before."""
        try:
            self._at("AT+CNMI=2,0,0,1,0")
        except ModemError as exc:
            logger.warning("%s: the modem refused to pass on status reports: %s", self, exc.line)

    def _drain_input(self) -> None:
        """Discard what waits on the line before the set-up commands (the reason the port is
        being opened again may be a half-read answer), but keep the status reports in it."""
        assert self._port is not None
        waiting = self._buffer + self._port.read(self._port.in_waiting or 0)
        self._buffer = b""
        for raw in waiting.split(b"\n"):
            self._unsolicited(raw.decode("ascii", "replace").strip())
        self._pdu_report = None

    # -- status reports -----------------------------------------------------------------------
    def _unsolicited(self, line: str) -> bool:
        """Keep a ``+CDS:`` line (and the PDU line after a PDU-mode one); True when *line* was
        part of a status report, so it is not taken as an answer to a command."""
        if not line:
            return False  # a blank line may sit between "+CDS: <length>" and its PDU
        length = self._pdu_report
        if length is not None:
            self._pdu_report = None
            if _HEX.fullmatch(line):
                self._record(parse_pdu(length, line))
                return True
            # Not a PDU: the report was cut off; the line may be an answer ("OK"), not ours.
            self._record(None)
        if not line.startswith("+CDS:"):
            return False
        self._pdu_report = pdu_length(line)
        if self._pdu_report is None:
            self._record(parse_text(line))
        return True

    def _record(self, report: StatusReport | None) -> None:
        """Keep a report for :meth:`poll_reports`: it may arrive while the rest of its message
        is still being sent, before the message's segments are known."""
        if report is None:
            logger.warning("%s: a malformed status report was ignored", self)
        else:
            self._arrived.append(report)

    def _resolve(self, report: StatusReport) -> None:
        message_id = self._segment_of.get(report.reference, f"mr-{report.reference}")
        if report.outcome == "pending":
            return
        if message_id in self._waiting:  # one segment of a long message
            waiting = self._waiting[message_id]
            if not waiting:
                return  # the message already failed: later segments change nothing
            if report.outcome == "delivered":
                waiting.discard(report.reference)
                if waiting:
                    return
            waiting.clear()  # reported; its segments stay known until their TP-MR is reused
        code = f"{report.status}"
        if report.outcome == "delivered":
            self._reports.append(Report(message_id, "delivered", code))
        else:
            self._reports.append(Report(message_id, "failed", code, report.reason))

    def _forget(self, message_id: str) -> None:
        self._waiting.pop(message_id, None)
        for reference in [r for r, m in self._segment_of.items() if m == message_id]:
            del self._segment_of[reference]

    def _track(self, references: list[str]) -> str:
        """The message id of a message sent as *references* (the TP-MR of each segment)."""
        if not references:
            return ""
        firsts = [ref.split(",")[0].strip() for ref in references]
        numbers = [int(r) for r in firsts if r.isdigit() and int(r) <= 0xFF]
        message_id = f"mr-{firsts[0]}"
        # A reused TP-MR now belongs to this message, not to an older one.
        for number in numbers:
            old = self._segment_of.pop(number, None)
            if old is not None:
                self._forget(old)
        self._waiting.pop(message_id, None)
        if len(numbers) > 1:
            self._waiting[message_id] = set(numbers)
            self._segment_of.update(dict.fromkeys(numbers, message_id))
        return message_id

    def poll_reports(self) -> list[Report]:
        """Status reports read so far, with whatever is waiting on the line now."""
        port = self._port
        if port is not None:
            try:
                while port.in_waiting or b"\n" in self._buffer:
                    if b"\n" not in self._buffer:
                        self._buffer += port.read(port.in_waiting)
                        continue
                    line, _sep, self._buffer = self._buffer.partition(b"\n")
                    self._unsolicited(line.decode("ascii", "replace").strip())
                if self._pdu_report is not None:  # the PDU line is on its way
                    deadline = time.monotonic() + 1.0
                    with contextlib.suppress(TimeoutError):
                        self._unsolicited(self._read_line(deadline))
            except (serial.SerialException, OSError):
                self._drop()
        arrived, self._arrived = self._arrived, []
        for report in arrived:
            self._resolve(report)
        reports, self._reports = self._reports, []
        return reports

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
                tpdus = submit_tpdus(
                    message.to,
                    message.text,
                    reference=reference,
                    status_report=self._wants_reports,
                )
                for length, pdu in tpdus:
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
        return SendResult(provider_message_id=self._track(references))

    def close(self) -> None:
        self._drop()
