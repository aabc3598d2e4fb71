"""SMS bytes on the wire: GSM 7-bit and UCS-2 payloads, concatenation headers, SMS-SUBMIT PDUs.

Pure Python, no Django import. Segment boundaries come from :func:`pctt.core.sms.split`, which
never cuts an escape pair or a surrogate pair, so every segment here is a whole set of
characters (3GPP TS 23.038 for the alphabet, TS 23.040 for the SMS-SUBMIT TPDU).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pctt.core.sms import analyse, split

#: data_coding / TP-DCS: GSM default alphabet, and UCS-2.
DCS_GSM7: Final = 0x00
DCS_UCS2: Final = 0x08

# 3GPP TS 23.038 default alphabet in code order (0x1B, ESC, is a placeholder here).
_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION: Final = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
_CODE: Final = {ch: i for i, ch in enumerate(_BASIC) if ch != "\x1b"}


def gsm7_septets(text: str) -> bytes:
    """One septet per byte (the SMPP "SMSC default alphabet" form); ValueError outside GSM-7."""
    out = bytearray()
    for ch in text:
        code = _CODE.get(ch)
        if code is not None:
            out.append(code)
        elif ch in _EXTENSION:
            out += bytes((0x1B, _EXTENSION[ch]))
        else:
            raise ValueError(f"character U+{ord(ch):04X} is not in the GSM 7-bit alphabet")
    return bytes(out)


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack septets into octets, least significant bit first, after *fill_bits* zero bits."""
    value = 0
    bits = fill_bits
    for septet in septets:
        value |= (septet & 0x7F) << bits
        bits += 7
    return value.to_bytes((bits + 7) // 8, "little") if bits else b""


@dataclass(frozen=True)
class Encoded:
    """A message as the network carries it: the coding and one payload per segment."""

    data_coding: int
    segments: tuple[str, ...]
    payloads: tuple[bytes, ...]  # unpacked septets (GSM-7) or UTF-16-BE (UCS-2), no header

    @property
    def is_long(self) -> bool:
        return len(self.segments) > 1


def encode(text: str) -> Encoded:
    """GSM-7 when every character fits, else UCS-2; split as a phone network would."""
    info = analyse(text)
    parts = tuple(split(info.text)) or ("",)
    if info.encoding == "GSM-7":
        return Encoded(DCS_GSM7, parts, tuple(gsm7_septets(p) for p in parts))
    return Encoded(DCS_UCS2, parts, tuple(p.encode("utf-16-be", "surrogatepass") for p in parts))


def concat_udh(reference: int, total: int, number: int) -> bytes:
    """The user data header of one segment of a concatenated message (8-bit reference)."""
    return bytes((0x05, 0x00, 0x03, reference & 0xFF, total, number))


def semi_octets(digits: str) -> bytes:
    """Digits as swapped nibbles, padded with F (TS 23.040 address value)."""
    if not digits.isdigit():
        raise ValueError("address must be digits")
    padded = digits + ("F" if len(digits) % 2 else "")
    return bytes.fromhex("".join(padded[i + 1] + padded[i] for i in range(0, len(padded), 2)))


def submit_tpdus(
    to: str, text: str, *, reference: int, status_report: bool = False
) -> list[tuple[int, str]]:
    """SMS-SUBMIT TPDUs for ``AT+CMGS`` in PDU mode: (TPDU length in octets, hex with an empty
    SMSC field in front, so the modem uses the SIM's service centre)."""
    digits = to.lstrip("+")
    toa = 0x91 if to.startswith("+") else 0x81
    address = bytes((len(digits), toa)) + semi_octets(digits)
    encoded = encode(text)
    total = len(encoded.payloads)
    out: list[tuple[int, str]] = []
    for number, payload in enumerate(encoded.payloads, start=1):
        first = 0x01 | 0x10  # SMS-SUBMIT, relative validity period present
        if status_report:
            first |= 0x20
        udh = b""
        if total > 1:
            first |= 0x40
            udh = concat_udh(reference, total, number)
        if encoded.data_coding == DCS_GSM7:
            fill = (7 - (len(udh) * 8) % 7) % 7 if udh else 0
            user_data = udh + pack_septets(payload, fill)
            udl = (len(udh) * 8 + fill) // 7 + len(payload)
        else:
            user_data = udh + payload
            udl = len(user_data)
        # TP-MR 0 (the modem assigns it), TP-PID 0, validity 0xAA (4 days).
        tpdu = (
            bytes((first, 0x00))
            + address
            + bytes((0x00, encoded.data_coding, 0xAA, udl))
            + user_data
        )
        out.append((len(tpdu), "00" + tpdu.hex().upper()))
    return out
