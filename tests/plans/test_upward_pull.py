"""The province pulls from the ward's outbox, the alternative to the ward's push. One
process is both ward (a `ProvinceLink` in pull mode) and province (a `ReportingWard` with an
outbox address); httpx reaches the outbox through a transport that hands requests to Django."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pctt.plans import actions, upward_actions, upward_pull
from pctt.plans import upward_signing as signing
from pctt.plans.models import Organisation, ReceivedReport, Report, ReportingWard
from pctt.plans.periods import period_containing

pytestmark = pytest.mark.django_db
OUTBOX = "http://ward.test/ke-hoach/api/bao-cao/cho-tinh/"


def to_django(request: httpx.Request) -> httpx.Response:
    headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-")}
    path = request.url.path + (f"?{request.url.query.decode()}" if request.url.query else "")
    answer = Client().generic(request.method, path, data=request.read(), headers=headers)
    return httpx.Response(answer.status_code, headers=dict(answer.items()), content=answer.content)


@pytest.fixture
def pulled(
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    users: dict[str, Any],
    orgs: dict[str, Organisation],
) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    ward = orgs["party_building_board"].ward
    reporting_ward, token = upward_actions.add_reporting_ward(
        user=users["quantri"], code=ward.code, name=ward.name
    )
    upward_actions.set_pull_url(user=users["quantri"], ward=reporting_ward, url=OUTBOX)
    monkeypatch.setenv("PCTT_TEST_PROVINCE_TOKEN", token)
    upward_actions.link_province(
        user=users["quantri"], url="", token_env="PCTT_TEST_PROVINCE_TOKEN", mode="pull"
    )
    report = actions.create_report(
        user=users["quantri"],
        organisation=orgs["party_building_board"],
        period=period_containing(timezone.localdate(), "month"),
    )
    return {"token": token, "report": report, "ward": reporting_ward}


def _pull(ward: ReportingWard) -> upward_pull.PullResult:
    ward.refresh_from_db()
    return upward_pull.pull_ward(ward, transport=httpx.MockTransport(to_django))


def test_a_released_report_is_collected_checked_stored_and_acknowledged(
    pulled: dict[str, Any], users: dict[str, Any]
) -> None:
    report, ward = pulled["report"], pulled["ward"]
    assert _pull(ward).received == 0  # nothing released yet: a draft report stays private
    released = upward_actions.push_report(user=users["quantri"], report=report)
    assert released.push_status == "ready" and released.push_document
    result = _pull(ward)
    assert (result.received, result.refused, result.error) == (1, [], "")
    stored = ReceivedReport.objects.get(ward=ward)
    assert stored.number == report.number and stored.signature_valid
    assert stored.figures["activities"] == report.figures["activities"]
    with stored.document.open("rb") as handle, released.push_document.open("rb") as sent:
        assert handle.read() == sent.read()
    report.refresh_from_db()
    assert report.push_status == "sent" and report.pushed_at is not None
    again = _pull(ward)  # the next round: known and acknowledged, not fetched again
    assert (again.received, again.already) == (0, 1)
    assert ReceivedReport.objects.count() == 1
    ward.refresh_from_db()
    assert ward.last_pulled_at is not None and "already had 1" in ward.last_pull_detail


def test_the_outbox_answers_only_requests_signed_with_the_wards_key(
    pulled: dict[str, Any], users: dict[str, Any]
) -> None:
    upward_actions.push_report(user=users["quantri"], report=pulled["report"])
    ward = pulled["ward"]
    client = Client()
    path = "/ke-hoach/api/bao-cao/cho-tinh/"
    assert client.get(path).status_code == 401  # unsigned

    def signed(key_hash: str, method: str, target: str, **changes: Any) -> dict[str, str]:
        fields = {
            "timestamp": int(time.time()),
            "nonce": signing.new_nonce(),
            "ward_code": ward.code,
            "path": f"{method} {target}",
            **changes,
        }
        request = signing.PullRequest(**fields)
        return {
            signing.HEADER_TIMESTAMP: str(request.timestamp),
            signing.HEADER_NONCE: request.nonce,
            signing.HEADER_SIGNATURE: signing.sign_pull(signing.signing_key(key_hash), request),
        }

    good = client.get(path, headers=signed(ward.token_hash, "GET", path))
    assert good.status_code == 200 and good.json()["ward"] == ward.code
    other_key = signing.hash_token(signing.new_token())
    assert client.get(path, headers=signed(other_key, "GET", path)).status_code == 401
    moved = signed(ward.token_hash, "GET", path + "999/")  # signed for another path
    assert client.get(path, headers=moved).status_code == 401
    other_ward = signed(ward.token_hash, "GET", path, ward_code="OTHER-01")
    assert client.get(path, headers=other_ward).status_code == 401
    stale = signed(ward.token_hash, "GET", path, timestamp=int(time.time()) - 3600)
    assert client.get(path, headers=stale).status_code == 401
    malformed = {**signed(ward.token_hash, "GET", path), signing.HEADER_NONCE: "bad nonce!"}
    assert client.get(path, headers=malformed).status_code == 400
    report_id = good.json()["reports"][0]["id"]
    item = f"{path}{report_id}/"
    bundle = client.get(item, headers=signed(ward.token_hash, "GET", item))
    assert bundle.status_code == 200 and signing.HEADER_SIGNATURE in bundle.headers
    assert base64.b64decode(bundle.json()["document"]).startswith(b"PK")
    ack = f"{item}nhan/"
    assert client.post(ack, headers=signed(ward.token_hash, "GET", ack)).status_code == 401
    assert client.post(ack, headers=signed(ward.token_hash, "POST", ack)).status_code == 200


def test_a_tampered_or_hostile_answer_from_the_ward_is_refused_and_nothing_stored(
    pulled: dict[str, Any], users: dict[str, Any]
) -> None:
    upward_actions.push_report(user=users["quantri"], report=pulled["report"])
    ward = pulled["ward"]

    def tampering(request: httpx.Request) -> httpx.Response:
        answer = to_django(request)
        if request.url.path.endswith("cho-tinh/"):
            return answer
        envelope = json.loads(answer.content)
        figures = json.loads(envelope["figures"])
        figures["figures"]["activities"] += 100  # more activities than were done
        envelope["figures"] = json.dumps(figures, sort_keys=True, separators=(",", ":"))
        return httpx.Response(200, headers=answer.headers, content=json.dumps(envelope).encode())

    ward.refresh_from_db()
    result = upward_pull.pull_ward(ward, transport=httpx.MockTransport(tampering))
    assert result.received == 0 and "bad_signature" in result.refused[0]
    assert not ReceivedReport.objects.exists()
    pulled["report"].refresh_from_db()
    assert pulled["report"].push_status == "ready"  # not acknowledged

    hostile = [
        httpx.Response(200, content=b"[" * 100_000),
        httpx.Response(200, content=b'{"ward": "OTHER-01", "reports": []}'),
        httpx.Response(
            200, content=b'{"ward": "%s", "reports": [{"id": "1"}]}' % ward.code.encode()
        ),
        httpx.Response(500, content=b"down"),
        httpx.Response(200, content=b"x" * (upward_pull.MAX_RESPONSE_BYTES + 10)),
    ]
    for answer in hostile:
        outcome = upward_pull.pull_ward(
            ward, transport=httpx.MockTransport(lambda _request, a=answer: a)
        )
        assert outcome.error and outcome.received == 0
    assert not ReceivedReport.objects.exists()

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to ward", request=request)

    down = upward_pull.pull_ward(ward, transport=httpx.MockTransport(unreachable))
    assert "ConnectError" in down.error


def test_the_outbox_is_closed_unless_the_ward_is_in_pull_mode(
    pulled: dict[str, Any], users: dict[str, Any]
) -> None:
    upward_actions.link_province(
        user=users["quantri"],
        url="http://province.test/ke-hoach/api/bao-cao/",
        token_env="PCTT_TEST_PROVINCE_TOKEN",
    )
    assert Client().get("/ke-hoach/api/bao-cao/cho-tinh/").status_code == 404
    with pytest.raises(ValidationError):
        upward_actions.link_province(
            user=users["quantri"], url="", token_env="PCTT_TEST_PROVINCE_TOKEN", mode="push"
        )
    with pytest.raises(ValidationError):
        upward_actions.link_province(
            user=users["quantri"], url="", token_env="PCTT_TEST_PROVINCE_TOKEN", mode="carrier"
        )
    with pytest.raises(ValidationError):
        upward_actions.set_pull_url(user=users["quantri"], ward=pulled["ward"], url="file:///etc")


def test_the_province_command_sets_the_outbox_and_collects(
    pulled: dict[str, Any], users: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    upward_actions.push_report(user=users["quantri"], report=pulled["report"])
    ward = pulled["ward"]
    call_command("plans", "province", "pull-url", ward.code, OUTBOX)
    real = upward_pull.pull_ward
    monkeypatch.setattr(
        upward_pull,
        "pull_ward",
        lambda w, transport=None: real(w, transport=httpx.MockTransport(to_django)),
    )
    call_command("plans", "province", "pull")
    assert f"{ward.code}\t1\t0\t0\tok" in capsys.readouterr().out
    assert Report.objects.get(pk=pulled["report"].pk).push_status == "sent"
