"""schemathesis against the OpenAPI description, in process through Django's WSGI app.

The only check is the one the issue asks for: no server error (5xx) on any generated request —
valid ones and hostile ones — for every documented operation. Webhooks get a real provider with
a token, so generated requests reach the body parsing and not just the 403.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from pctt.ops.openapi import description
from tests.fuzz.profile import FUZZ

TOKEN = "schemathesis-token-" + "x" * 20
schema = schemathesis.openapi.from_dict(description())


@pytest.fixture
def app(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from pctt.dispatch.models import ChannelProvider
    from pctt.dispatch.models.outbox import Channel

    monkeypatch.setenv("PCTT_FUZZ_WEBHOOK_TOKEN", TOKEN)
    for name, channel in (("ten-nha-cung-cap", Channel.SMS), ("zalo", Channel.APP)):
        ChannelProvider.objects.get_or_create(
            name=name,
            defaults={
                "channel": channel,
                "kind": "console",
                "options": {"webhook_token_env": "PCTT_FUZZ_WEBHOOK_TOKEN"},
            },
        )
    assert os.environ["PCTT_FUZZ_WEBHOOK_TOKEN"] == TOKEN
    # Called straight through WSGI, each request would close the test's database connection at
    # its end (the test client unhooks this the same way); on PostgreSQL the next request failed.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    FUZZ,
    max_examples=min(FUZZ.max_examples, 30),
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case: Any, app: Any) -> None:
    if (
        case.path_parameters
        and "provider" in case.path_parameters
        and case.path_parameters["provider"] == ""
    ):
        case.path_parameters["provider"] = "ten-nha-cung-cap"
    headers = {"X-PCTT-Token": TOKEN, "Host": "localhost"}
    response = case.call(app=app, headers=headers)
    # 503 is documented for one case (a ward in pull mode without its token set): not a crash.
    documented_unavailable = response.status_code == 503 and "not_configured" in response.text
    assert response.status_code < 500 or documented_unavailable, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n{response.text[:2000]}"
    )
