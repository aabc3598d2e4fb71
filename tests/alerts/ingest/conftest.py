"""A real HTTP server on loopback serving recorded feeds, and small CAP/Atom builders."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from pctt.alerts.models import CapFeed
from pctt.cap import Alert, Area, Info, to_xml
from tests.conftest import shared_data


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "application/xml"
    etag: str = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    """Routes by path (with or without the query string); records every request it gets."""

    origin: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def add(self, path: str, body: bytes, **options: object) -> str:
        self.routes[path] = Route(body, **options)  # type: ignore[arg-type]
        return self.origin + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            route = site.routes.get(self.path) or site.routes.get(urlsplit(self.path).path)
            try:
                if route is None:
                    self.send_error(404)
                    return
                time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def serve() -> Iterator[object]:
    """Start as many loopback servers as a test needs: `site = serve()`."""
    servers: list[ThreadingHTTPServer] = []

    def start() -> Site:
        site = Site()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        server.daemon_threads = True
        site.origin = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return site

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(serve: object) -> Site:
    return serve()  # type: ignore[operator, no-any-return]


def recorded_feed(name: str, site: Site, original_origin: str) -> bytes:
    text = shared_data("feeds", name).read_bytes()
    return text.replace(original_origin.encode(), site.origin.encode())


def cap_file(name: str) -> bytes:
    return shared_data("cap", name).read_bytes()


def make_feed(url: str, name: str = "upstream") -> CapFeed:
    return CapFeed.objects.create(name=name, url=url)


SENT = datetime(2025, 9, 7, 7, 0, tzinfo=UTC)


def cap_alert(
    identifier: str = "NCHMF-1",
    *,
    sender: str = "nchmf@kttv.gov.vn",
    sent: datetime = SENT,
    msg_type: str = "Alert",
    references: str | None = None,
    area: Area | None = None,
    expires: datetime | None = None,
) -> Alert:
    info = Info(
        categories=("Met",),
        event="Lũ quét",
        urgency="Expected",
        severity="Severe",
        certainty="Likely",
        language="vi-VN",
        expires=expires or sent + timedelta(hours=12),
        headline="Cảnh báo lũ quét, sạt lở đất",
        areas=(area or Area(area_desc="Tỉnh Yên Bái"),),
    )
    return Alert(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status="Actual",
        msg_type=msg_type,
        scope="Public",
        references=references,
        infos=(info,),
    )


def reference(alert: Alert) -> str:
    return f"{alert.sender},{alert.identifier},{alert.sent.isoformat()}"


def cancel_of(alert: Alert, identifier: str) -> Alert:
    return alert._replace(
        identifier=identifier,
        sent=alert.sent + timedelta(hours=1),
        msg_type="Cancel",
        references=reference(alert),
        infos=(),
    )


def atom(*entries: tuple[str, str | None, bytes | None]) -> bytes:
    """An Atom feed of (id, link, embedded CAP) entries."""
    parts = []
    for entry_id, link, embedded in entries:
        link_xml = (
            f'<link rel="alternate" type="application/cap+xml" href="{link}"/>' if link else ""
        )
        content = b""
        if embedded is not None:
            body = embedded.split(b"?>", 1)[1] if embedded.startswith(b"<?xml") else embedded
            content = b'<content type="text/xml">' + body + b"</content>"
        parts.append(
            f"<entry><id>{entry_id}</id><title>{entry_id}</title>"
            f"<updated>2025-09-07T07:00:00Z</updated>{link_xml}".encode()
            + content
            + b"</entry>"
        )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id><title>test</title>'
        b"<updated>2025-09-07T07:00:00Z</updated>" + b"".join(parts) + b"</feed>"
    )


def atom_of(*alerts: Alert) -> bytes:
    return atom(*((a.identifier, None, to_xml(a)) for a in alerts))
