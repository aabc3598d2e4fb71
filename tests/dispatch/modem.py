"""A simulated GSM modem on a pseudo-terminal: a thread answering AT commands like a dongle.

It echoes until ``ATE0``, answers ``AT+CPIN?`` (optionally asking for a PIN), ``AT+CMGF``,
``AT+CSCS``, ``AT+CSMP``, and ``AT+CMGS`` with the ``> `` prompt, reading the PDU (or UCS-2 hex
text) up to Ctrl-Z. The SMS-SUBMIT TPDU is decoded here from TS 23.040, independently of the
adapter's encoder, so a wrong bit shows up as a wrong text.

After ``AT+CNMI=…,…,…,1,…`` it answers every SMS that asked for a status report (TP-SRR in the
PDU, or ``AT+CSMP=49,…`` in text mode) with an unsolicited ``+CDS:`` status report, text or
PDU as the mode is; the SMS-STATUS-REPORT is encoded here from TS 23.040, independently of the
adapter's parser. Reports can be held back and released later, as a network does.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from dataclasses import dataclass, field

from tests.dispatch.smsc import GSM_BASIC, GSM_EXT


def unpack_septets(data: bytes, count: int, fill_bits: int) -> list[int]:
    value = int.from_bytes(data, "little") >> fill_bits
    return [(value >> (7 * i)) & 0x7F for i in range(count)]


def septets_to_text(septets: list[int]) -> str:
    out, escape = [], False
    for s in septets:
        if escape:
            out.append(GSM_EXT[s])
            escape = False
        elif s == 0x1B:
            escape = True
        else:
            out.append(GSM_BASIC[s])
    return "".join(out)


@dataclass
class Sms:
    to: str
    text: str
    dcs: int
    udh: bytes = b""
    status_report: bool = False


def decode_submit(hex_pdu: str) -> Sms:
    data = bytes.fromhex(hex_pdu)
    smsc_len = data[0]
    tpdu = data[1 + smsc_len :]
    first = tpdu[0]
    assert first & 0x03 == 0x01, "not an SMS-SUBMIT"
    digits = tpdu[2]
    toa = tpdu[3]
    addr = tpdu[4 : 4 + (digits + 1) // 2].hex()
    number = "".join(addr[i + 1] + addr[i] for i in range(0, len(addr), 2))[:digits]
    pos = 4 + (digits + 1) // 2
    _pid, dcs = tpdu[pos], tpdu[pos + 1]
    pos += 2
    vpf = (first >> 3) & 0x03
    pos += {0: 0, 2: 1, 1: 7, 3: 7}[vpf]
    udl = tpdu[pos]
    ud = tpdu[pos + 1 :]
    udh = b""
    if first & 0x40:
        udh = ud[1 : 1 + ud[0]]
    if dcs == 0x08:
        text = ud[1 + len(udh) if udh else 0 :].decode("utf-16-be")
        assert len(ud) == udl
    else:
        header_bits = (len(udh) + 1) * 8 if udh else 0
        fill = (7 - header_bits % 7) % 7 if udh else 0
        skip = (header_bits + fill) // 7
        body = ud[len(udh) + 1 :] if udh else ud
        text = septets_to_text(unpack_septets(body, udl - skip, fill))
    return Sms(("+" if toa == 0x91 else "") + number, text, dcs, udh, bool(first & 0x20))


SCTS = bytes.fromhex("62119231000082")  # 26/11/29 13:00:00 +28 quarter-hours (UTC+7)
DT = bytes.fromhex("62119231005082")  # five seconds later


def semi_octets(digits: str) -> bytes:
    padded = digits + ("F" if len(digits) % 2 else "")
    return bytes.fromhex("".join(padded[i + 1] + padded[i] for i in range(0, len(padded), 2)))


def status_report(mode: int, reference: int, to: str, status: int) -> str:
    """The unsolicited ``+CDS:`` a modem writes for an SMS-STATUS-REPORT (TS 27.005 §3.4.1)."""
    if mode == 1:
        return (
            f'\r\n+CDS: 6,{reference},"{to}",145,"26/11/29,13:00:00+28",'
            f'"26/11/29,13:00:05+28",{status}\r\n'
        )
    digits = to.lstrip("+")
    tpdu = (
        bytes((0x06, reference, len(digits), 0x91))
        + semi_octets(digits)
        + SCTS
        + DT
        + bytes((status,))
    )
    smsc = bytes((0x07, 0x91)) + semi_octets("84980000000")  # the service centre, then TPDU
    return f"\r\n+CDS: {len(tpdu)}\r\n{(smsc + tpdu).hex().upper()}\r\n"


@dataclass
class ModemState:
    pin: str = ""
    #: +CMS ERROR codes answered to the next AT+CMGS, in order (0 = accept).
    script: list[int] = field(default_factory=list)
    #: answer nothing to the next AT+CMGS (a hung modem) when True.
    hang: bool = False
    commands: list[str] = field(default_factory=list)
    received: list[Sms] = field(default_factory=list)
    #: TP-Status of the status report of each following SMS, in order (then 0, delivered).
    report_status: list[int] = field(default_factory=list)
    #: keep status reports until :meth:`Modem.release_reports` (else they follow +CMGS).
    hold_reports: bool = False
    held: list[str] = field(default_factory=list)
    reports_routed: bool = False  # AT+CNMI asked for +CDS
    text_first_octet: int = 17  # AT+CSMP's <fo> in text mode
    #: commands answered ERROR (a modem without them), by prefix
    refuse: tuple[str, ...] = ()
    mode: int = 0
    charset: str = "GSM"
    echo: bool = True
    unlocked: bool = True


class Modem:
    def __init__(self, **state: object) -> None:
        self.state = ModemState(**state)  # type: ignore[arg-type]
        self.state.unlocked = not self.state.pin
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._mr = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Modem:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join(2)
        os.close(self.master)
        os.close(self.slave)

    def _write(self, text: str) -> None:
        os.write(self.master, text.encode("ascii"))

    def _run(self) -> None:
        buffer = b""
        pending: str | None = None  # the AT+CMGS line waiting for its body
        while not self._stop.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            try:
                buffer += os.read(self.master, 4096)
            except OSError:
                return
            while True:
                if pending is not None:
                    if b"\x1a" not in buffer:
                        break
                    body, _sep, buffer = buffer.partition(b"\x1a")
                    self._message(pending, body.decode("ascii").strip())
                    pending = None
                    continue
                if b"\r" not in buffer:
                    break
                line, _sep, buffer = buffer.partition(b"\r")
                command = line.decode("ascii", "replace").strip()
                if not command:
                    continue
                if self.state.echo:
                    self._write(command + "\r\n")
                pending = self._command(command)

    def _command(self, command: str) -> str | None:
        s = self.state
        s.commands.append(command)
        upper = command.upper()
        if s.refuse and upper.startswith(s.refuse):
            self._write("\r\nERROR\r\n")
            return None
        if upper.startswith("AT+CMGS"):
            if not s.unlocked:
                self._write("\r\n+CMS ERROR: 311\r\n")
                return None
            if s.hang:
                return None
            self._write("\r\n> ")
            return command
        if upper == "ATE0":
            s.echo = False
        elif upper == "AT+CPIN?":
            self._write("\r\n+CPIN: READY\r\n" if s.unlocked else "\r\n+CPIN: SIM PIN\r\n")
        elif upper.startswith("AT+CPIN="):
            if command.split("=", 1)[1].strip('"') != s.pin:
                self._write("\r\n+CME ERROR: 16\r\n")
                return None
            s.unlocked = True
        elif upper.startswith("AT+CMGF="):
            s.mode = int(upper.split("=")[1])
        elif upper.startswith("AT+CSCS="):
            s.charset = command.split("=", 1)[1].strip('"')
        elif upper.startswith("AT+CNMI="):
            s.reports_routed = upper.split("=")[1].split(",")[3:4] == ["1"]
        elif upper.startswith("AT+CSMP="):
            s.text_first_octet = int(upper.split("=")[1].split(",")[0])
        elif not (upper == "AT" or upper.startswith("AT+CMEE")):
            self._write("\r\nERROR\r\n")
            return None
        self._write("\r\nOK\r\n")
        return None

    def _message(self, header: str, body: str) -> None:
        s = self.state
        code = s.script.pop(0) if s.script else 0
        if code:
            self._write(f"\r\n+CMS ERROR: {code}\r\n")
            return
        if s.mode == 0:
            sms = decode_submit(body)
            length = int(header.split("=")[1])
            assert length == len(bytes.fromhex(body)) - 1, "TPDU length mismatch"
        else:
            number = bytes.fromhex(header.split('"')[1]).decode("utf-16-be")
            text = bytes.fromhex(body).decode("utf-16-be")
            sms = Sms(number, text, 0x08, status_report=bool(s.text_first_octet & 0x20))
        s.received.append(sms)
        self._mr = (self._mr + 1) % 256
        self._write(f"\r\n+CMGS: {self._mr}\r\n\r\nOK\r\n")
        if sms.status_report and s.reports_routed:
            status = s.report_status.pop(0) if s.report_status else 0
            report = status_report(s.mode, self._mr, sms.to, status)
            if s.hold_reports:
                s.held.append(report)
            else:
                self._write(report)

    def release_reports(self) -> None:
        """Send the status reports held back so far."""
        held, self.state.held = self.state.held, []
        for report in held:
            self._write(report)

    def unsolicited(self, text: str) -> None:
        """Write *text* to the line as if the modem sent it on its own (hostile lines too)."""
        self._write(text)

    def messages(self) -> list[tuple[str, str]]:
        """(number, text) per message, joining concatenated segments (PDU mode)."""
        out: list[tuple[str, str]] = []
        parts: dict[tuple[str, int], dict[int, str]] = {}
        for sms in self.state.received:
            if sms.udh:
                got = parts.setdefault((sms.to, sms.udh[2]), {})
                got[sms.udh[4]] = sms.text
                if len(got) == sms.udh[3]:
                    out.append((sms.to, "".join(got[i] for i in range(1, sms.udh[3] + 1))))
            else:
                out.append((sms.to, sms.text))
        return out
