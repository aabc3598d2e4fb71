"""A loopback SMS gateway: a real threaded HTTP server on 127.0.0.1 scripted by tests."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        #: (status, body, delay seconds) answered in order; then 200 with an id.
        self.script: list[tuple[int, str, float]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"

    def __enter__(self) -> Gateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            body: Any = json.loads(raw)
        else:
            body = {k: v[0] for k, v in parse_qs(raw).items()}
        with self.server.lock:
            n = len(self.server.requests) + 1
            self.server.requests.append({"headers": dict(self.headers), "body": body})
            status, text, delay = (
                self.server.script.pop(0)
                if self.server.script
                else (200, json.dumps({"data": {"id": f"gw-{n}"}}), 0.0)
            )
        if delay:
            time.sleep(delay)
        payload = text.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class IdempotentGateway(ThreadingHTTPServer):
    """An SMS gateway that honours ``Idempotency-Key`` like providers that support one: a
    repeated key is answered with the first message's id and not sent again. It counts unique
    keys and duplicate attempts separately. A seeded share of requests fails (500), hangs past
    the client's timeout, or is slow, before the key is recorded (as if the gateway crashed)."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        *,
        errors: float = 0.0,
        timeouts: float = 0.0,
        slow: float = 0.0,
        hang: float = 1.0,
        seed: int = 5,
    ) -> None:
        import random

        super().__init__(("127.0.0.1", 0), _IdempotentHandler)
        self.accepted: dict[str, int] = {}  # key → times it was presented after acceptance
        self.texts: dict[str, str] = {}
        self.failed_attempts = 0
        self.duplicates = 0
        self.requests = 0
        self.shares = (errors, timeouts, slow)
        self.hang = hang
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"

    def __enter__(self) -> IdempotentGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A worker killed mid-request resets its connection: expected here, not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {
                "requests": self.requests,
                "unique_keys": len(self.accepted),
                "duplicate_attempts": self.duplicates,
                "failed_attempts": self.failed_attempts,
            }


class _IdempotentHandler(BaseHTTPRequestHandler):
    server: IdempotentGateway
    protocol_version = "HTTP/1.1"  # keep-alive, as real gateways
    disable_nagle_algorithm = True  # headers and body leave at once (no delayed-ACK stall)

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        gw = self.server
        errors, timeouts, slow = gw.shares
        with gw.lock:
            gw.requests += 1
            roll = gw.rng.random()
        if roll < errors:
            with gw.lock:
                gw.failed_attempts += 1
            self._answer(500, {"error": "internal"})
            return
        if roll < errors + timeouts:
            with gw.lock:
                gw.failed_attempts += 1
            time.sleep(gw.hang)  # the client gives up first; nothing is recorded
            self._answer(504, {"error": "late"})
            return
        if roll < errors + timeouts + slow:
            time.sleep(0.05)
        with gw.lock:
            if key in gw.accepted:
                gw.accepted[key] += 1
                gw.duplicates += 1
            else:
                gw.accepted[key] = 0
                gw.texts[key] = json.loads(raw or b"{}").get("text", "")
            n = len(gw.accepted)
        self._answer(200, {"data": {"id": f"gw-{key or n}"}})

    def log_message(self, format: str, *args: Any) -> None:
        pass
