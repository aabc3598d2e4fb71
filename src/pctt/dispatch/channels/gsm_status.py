"""SMS status reports from a GSM modem: the unsolicited ``+CDS:`` lines, parsed.

Pure Python, no Django import. With ``AT+CNMI=…,…,…,1,…`` a modem routes every SMS-STATUS-REPORT
to the serial line as it arrives (3GPP TS 27.005 §3.4.1):

* text mode: ``+CDS: <fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>`` on one line;
* PDU mode: ``+CDS: <length>``, then a line with the PDU in hexadecimal: the service centre
  address (its length octet first) and the SMS-STATUS-REPORT TPDU (TS 23.040 §9.2.2.3) of
  <length> octets.

The line comes from a radio and a USB cable: anything malformed gives ``None`` (the report is
dropped, the delivery stays "sent"), never an exception. TP-Status (TS 23.040 §9.2.3.15) maps to
an outcome: 0x00-0x1F the transaction completed (received, forwarded, replaced: delivered);
0x20-0x3F a temporary error while the centre still tries (pending); 0x40-0x5F a permanent error
and 0x60-0x7F a temporary error the centre gave up on (both failed). Values with bit 7 set are
reserved and dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Outcome = Literal["delivered", "pending", "failed"]

#: Longest line accepted: a status report PDU is under 200 hex digits.
MAX_LINE: Final = 512
_MTI_STATUS_REPORT: Final = 0x02

#: A few TP-Status values worth words in the delivery's error (TS 23.040 §9.2.3.15).
_REASONS: Final = {
    0x40: "remote procedure error",
    0x41: "incompatible destination",
    0x42: "connection rejected by SME",
    0x43: "not obtainable",
    0x44: "quality of service not available",
    0x45: "no interworking available",
    0x46: "validity period expired",
    0x47: "deleted by originating SME",
    0x48: "deleted by SC administration",
    0x49: "message does not exist",
    0x60: "congestion, SC gave up",
    0x61: "SME busy, SC gave up",
    0x62: "no response from SME, SC gave up",
    0x63: "service rejected, SC gave up",
    0x64: "quality of service not available, SC gave up",
    0x65: "error in SME, SC gave up",
}


@dataclass(frozen=True)
class StatusReport:
    reference: int  # TP-MR of the SMS-SUBMIT, as +CMGS returned it
    status: int  # TP-ST
    outcome: Outcome

    @property
    def reason(self) -> str:
        return _REASONS.get(self.status, f"TP-Status 0x{self.status:02X}")


def outcome(status: int) -> Outcome | None:
    """The outcome of a TP-Status value; None for reserved values (bit 7 set, or not a byte)."""
    if not 0 <= status <= 0x7F:
        return None
    if status <= 0x1F:
        return "delivered"
    if status <= 0x3F:
        return "pending"
    return "failed"


def _report(reference: int, status: int) -> StatusReport | None:
    result = outcome(status)
    if result is None or not 0 <= reference <= 0xFF:
        return None
    return StatusReport(reference, status, result)


_HEADER: Final = re.compile(r"\+CDS:\s*(.*)")
_FIELD: Final = re.compile(r'\s*("[^"]*"|[^,"]*)\s*')
_INT: Final = re.compile(r"[0-9]{1,3}")  # ASCII digits only (\d also takes other scripts)


def _fields(text: str) -> list[str] | None:
    """Comma-separated fields where a quoted field may hold commas (the timestamps do)."""
    fields: list[str] = []
    pos = 0
    while True:
        match = _FIELD.match(text, pos)
        if match is None:
            return None
        fields.append(match.group(1).strip())
        pos = match.end()
        if pos == len(text):
            return fields
        if text[pos] != ",":
            return None  # a stray quote
        pos += 1


def cds_header(line: str) -> str | None:
    """What follows ``+CDS:`` on *line*, or None when it is not a status report line."""
    if len(line) > MAX_LINE:
        return None
    match = _HEADER.fullmatch(line.strip())
    return match.group(1).strip() if match else None


def pdu_length(line: str) -> int | None:
    """<length> of a PDU-mode ``+CDS: <length>`` line (the PDU follows on the next line)."""
    rest = cds_header(line)
    if rest is None or not _INT.fullmatch(rest):
        return None
    length = int(rest)
    return length if length > 0 else None


def parse_text(line: str) -> StatusReport | None:
    """A text-mode ``+CDS: <fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>`` line."""
    rest = cds_header(line)
    if rest is None:
        return None
    fields = _fields(rest)
    if fields is None or len(fields) != 7:
        return None
    first, reference, _ra, tora, scts, dt, status = fields
    numbers = (first, reference, status)
    if not all(_INT.fullmatch(n) for n in numbers) or (tora and not _INT.fullmatch(tora)):
        return None
    if not (scts.startswith('"') and dt.startswith('"')):
        return None
    if int(first) > 0xFF or int(first) & 0x03 != _MTI_STATUS_REPORT:
        return None
    return _report(int(reference), int(status))


def parse_pdu(length: int, hex_pdu: str) -> StatusReport | None:
    """The PDU line after ``+CDS: <length>``: service centre address, then the TPDU."""
    text = hex_pdu.strip()
    if len(text) > MAX_LINE or len(text) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", text):
        return None
    data = bytes.fromhex(text)
    if not data:
        return None
    if len(data) == length:
        tpdu = data  # a modem that leaves out the service centre field
    else:
        tpdu = data[1 + data[0] :]
        if len(tpdu) != length:
            return None
    # first octet, TP-MR, TP-RA (digit count, type, semi-octets), TP-SCTS 7, TP-DT 7, TP-ST
    if len(tpdu) < 4 or tpdu[0] & 0x03 != _MTI_STATUS_REPORT:
        return None
    address_octets = (tpdu[2] + 1) // 2
    status_at = 2 + 2 + address_octets + 7 + 7
    if tpdu[2] > 20 or len(tpdu) <= status_at:
        return None
    return _report(tpdu[1], tpdu[status_at])
