"""A minimal SMSC on loopback speaking the SMPP 3.4 PDUs our adapter uses, written from the
specification with ``struct`` (not smpplib), so the adapter is checked against the wire format.

bind_transceiver (password checked), submit_sm (GSM 7-bit unpacked or UCS-2, concatenation by
UDH or message_payload), deliver_sm delivery receipts, enquire_link both ways, unbind.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

BIND_TRX, SUBMIT, DELIVER, UNBIND, ENQUIRE = 0x09, 0x04, 0x05, 0x06, 0x15
RESP = 0x80000000
GENERIC_NACK = 0x80000000

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXT = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~",
           0x3E: "]", 0x40: "|", 0x65: "€"}  # fmt: skip


def decode_gsm7_unpacked(data: bytes) -> str:
    out, escape = [], False
    for b in data:
        if escape:
            out.append(GSM_EXT[b])
            escape = False
        elif b == 0x1B:
            escape = True
        else:
            out.append(GSM_BASIC[b])
    return "".join(out)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def cstr(self) -> bytes:
        end = self.data.index(b"\x00", self.pos)
        value, self.pos = self.data[self.pos : end], end + 1
        return value

    def u8(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def raw(self, n: int) -> bytes:
        value, self.pos = self.data[self.pos : self.pos + n], self.pos + n
        return value

    def tlvs(self) -> dict[int, bytes]:
        found = {}
        while self.pos + 4 <= len(self.data):
            tag, length = struct.unpack(">HH", self.raw(4))
            found[tag] = self.raw(length)
        return found


@dataclass
class Submit:
    source: str
    destination: str
    esm_class: int
    data_coding: int
    registered_delivery: int
    short_message: bytes
    tlvs: dict[int, bytes]
    message_id: str = ""

    @property
    def udh(self) -> bytes:
        if self.esm_class & 0x40:
            return self.short_message[1 : 1 + self.short_message[0]]
        return b""

    @property
    def body(self) -> bytes:
        if self.esm_class & 0x40:
            return self.short_message[1 + self.short_message[0] :]
        return self.tlvs.get(0x0424, self.short_message)

    @property
    def text(self) -> str:
        if self.data_coding == 0x08:
            return self.body.decode("utf-16-be")
        return decode_gsm7_unpacked(self.body)


@dataclass
class State:
    password: str = "secret"
    submits: list[Submit] = field(default_factory=list)
    binds: list[dict[str, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    #: command_status answered to the next submits, in order; then 0.
    script: list[int] = field(default_factory=list)
    receipt_stat: str = "DELIVRD"
    #: raw deliver_sm short_message bodies sent before the next receipt (hostile receipts).
    extra_deliveries: list[bytes] = field(default_factory=list)
    ping_after_bind: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def messages(self) -> list[tuple[str, str]]:
        """(destination, reassembled text) per message, joining concatenated segments."""
        out: list[tuple[str, str]] = []
        parts: dict[tuple[str, int], dict[int, str]] = {}
        for s in self.submits:
            if s.udh and s.udh[0] == 0x00:
                ref, total, number = s.udh[2], s.udh[3], s.udh[4]
                got = parts.setdefault((s.destination, ref), {})
                got[number] = s.text
                if len(got) == total:
                    out.append((s.destination, "".join(got[i] for i in range(1, total + 1))))
            else:
                out.append((s.destination, s.text))
        return out


def pdu(command: int, sequence: int, body: bytes = b"", status: int = 0) -> bytes:
    return struct.pack(">IIII", 16 + len(body), command, status, sequence) + body


class _Handler(socketserver.BaseRequestHandler):
    server: Smsc

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def handle(self) -> None:
        state = self.server.state
        out_seq = 1000
        try:
            while True:
                length, command, _status, sequence = struct.unpack(">IIII", self._read(16))
                body = self._read(length - 16)
                r = _Reader(body)
                if command == BIND_TRX:
                    system_id, password = r.cstr().decode(), r.cstr().decode()
                    state.binds.append({"system_id": system_id})
                    ok = password == state.password
                    self.request.sendall(
                        pdu(BIND_TRX | RESP, sequence, b"SMSC\x00", 0 if ok else 0x0E)
                    )
                    if not ok:
                        return
                    if state.ping_after_bind:
                        out_seq += 1
                        self.request.sendall(pdu(ENQUIRE, out_seq))
                elif command == SUBMIT:
                    r.cstr()
                    r.u8(), r.u8()
                    source = r.cstr().decode()
                    r.u8(), r.u8()
                    destination = r.cstr().decode()
                    esm_class = r.u8()
                    r.u8(), r.u8()
                    r.cstr(), r.cstr()
                    registered = r.u8()
                    r.u8()
                    data_coding = r.u8()
                    r.u8()
                    short = r.raw(r.u8())
                    submit = Submit(
                        source, destination, esm_class, data_coding, registered, short, r.tlvs()
                    )
                    with state.lock:
                        status = state.script.pop(0) if state.script else 0
                        if status == 0:
                            submit.message_id = f"smsc-{len(state.submits) + 1}"
                            state.submits.append(submit)
                    body = submit.message_id.encode() + b"\x00"
                    self.request.sendall(pdu(SUBMIT | RESP, sequence, body, status))
                    if status == 0 and registered:
                        for raw in state.extra_deliveries:
                            out_seq += 1
                            self.request.sendall(pdu(DELIVER, out_seq, _deliver_body(raw, {})))
                        state.extra_deliveries = []
                        out_seq += 1
                        text = (
                            f"id:{submit.message_id} sub:001 dlvrd:001 submit date:2611291040"
                            f" done date:2611291041 stat:{state.receipt_stat} err:000 text:"
                        ).encode()
                        tlvs = {0x001E: submit.message_id.encode() + b"\x00"}
                        self.request.sendall(pdu(DELIVER, out_seq, _deliver_body(text, tlvs)))
                elif command == ENQUIRE:
                    state.events.append("enquire_link")
                    self.request.sendall(pdu(ENQUIRE | RESP, sequence))
                elif command == UNBIND:
                    state.events.append("unbind")
                    self.request.sendall(pdu(UNBIND | RESP, sequence))
                    return
                elif command in (DELIVER | RESP, ENQUIRE | RESP):
                    state.events.append(f"resp 0x{command:08X}")
                else:
                    self.request.sendall(pdu(GENERIC_NACK, sequence, status=0x03))
        except (ConnectionError, OSError, struct.error, ValueError, IndexError):
            return


def _deliver_body(short: bytes, tlvs: dict[int, bytes]) -> bytes:
    head = b"\x00" + b"\x01\x01" + b"84912345678\x00" + b"\x05\x00" + b"PCTT\x00"
    head += bytes((0x04, 0, 0)) + b"\x00\x00" + bytes((0, 0, 0, 0)) + bytes((len(short),))
    extra = b"".join(struct.pack(">HH", t, len(v)) + v for t, v in tlvs.items())
    return head + short + extra


class Smsc(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, **state: Any) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = State(**state)
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def __enter__(self) -> Smsc:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
