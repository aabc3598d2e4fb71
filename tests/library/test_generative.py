"""The assistant's optional generative summary, against a real OpenAI-compatible HTTP server on
loopback: off by default, kept only when it cites the quotes it was given, escaped, and never
instead of the quotes; errors and timeouts leave the extractive answer alone."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from pctt.library import generative


class _Endpoint:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: Any = "Gọi 115 và kiểm tra hơi thở [1]."
        self.status = 200
        self.delay = 0.0


@pytest.fixture
def endpoint(settings: Any) -> Iterator[_Endpoint]:
    state = _Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(
                {
                    "path": self.path,
                    "auth": self.headers.get("Authorization"),
                    "body": json.loads(body),
                }
            )
            time.sleep(state.delay)
            payload = (
                state.reply
                if isinstance(state.reply, bytes)
                else json.dumps({"choices": [{"message": {"content": state.reply}}]}).encode()
            )
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(ConnectionError):  # the client gave up (timeout test)
                self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PCTT_ASSISTANT_LLM_URL = f"http://127.0.0.1:{server.server_address[1]}/v1/"
    settings.PCTT_ASSISTANT_LLM_MODEL = "local-model"
    settings.PCTT_ASSISTANT_LLM_KEY = "k-123"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


PASSAGES = ["Gọi 115, kiểm tra hơi thở.", "Không trú dưới gốc cây."]


def test_it_is_off_by_default(settings: Any) -> None:
    from django.conf import settings as live

    assert live.PCTT_ASSISTANT_LLM_URL == ""  # nothing in the test environment turns it on
    assert not generative.enabled()
    assert generative.summarise("sét đánh sơ cứu?", PASSAGES) is None


def test_the_endpoint_gets_only_the_question_and_the_numbered_passages(
    endpoint: _Endpoint,
) -> None:
    assert generative.summarise("sét đánh sơ cứu?", PASSAGES) == "Gọi 115 và kiểm tra hơi thở [1]."
    sent = endpoint.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer k-123"
    assert sent["body"]["model"] == "local-model"
    user = sent["body"]["messages"][-1]["content"]
    assert "[1] Gọi 115, kiểm tra hơi thở." in user and "[2] Không trú" in user


@pytest.mark.parametrize(
    "reply",
    [
        "Gọi 115 ngay.",  # cites nothing
        "Gọi 115 [3].",  # cites a passage it was not given
        "KHÔNG ĐỦ THÔNG TIN",
        "x [1] " * 400,  # too long
        "",
        12,
    ],
)
def test_replies_that_do_not_cite_what_they_were_given_are_dropped(
    endpoint: _Endpoint, reply: Any
) -> None:
    endpoint.reply = reply
    assert generative.summarise("sét đánh?", PASSAGES) is None


@pytest.mark.parametrize("failure", ["status", "garbage", "timeout"])
def test_errors_and_timeouts_give_no_summary(
    endpoint: _Endpoint, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if failure == "status":
        endpoint.status = 500
    elif failure == "garbage":
        endpoint.reply = b"<html>not json"
    else:
        monkeypatch.setattr(generative, "TIMEOUT_S", 0.2)
        endpoint.delay = 1.0
    assert generative.summarise("sét đánh?", PASSAGES) is None


@pytest.mark.django_db
def test_the_portal_shows_the_summary_escaped_above_the_quotes(
    library: Any, client: Client, endpoint: _Endpoint
) -> None:
    endpoint.reply = "<script>alert(1)</script> Gọi 115 [1]."
    html = client.get(
        "/thu-vien/hoi-dap/", {"q": "bị sét đánh thì sơ cứu thế nào?"}
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Gọi 115 [1]." in html
    assert 'id="assistant-summary"' in html and "Gọi 115, kiểm tra hơi thở" in html  # quotes stay
    # Nothing matched: the endpoint is not asked at all.
    asked = len(endpoint.requests)
    client.get("/thu-vien/hoi-dap/", {"q": "giá vé máy bay đi Hà Nội"})
    assert len(endpoint.requests) == asked
