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
