"""Ward → province through the API in one process: the installation is both ward (a
`ProvinceLink`) and province (a `ReportingWard`), switched by data. httpx posts through a
transport that hands requests to Django's test client."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.plans import reporting, upward_actions, upward_push
from pctt.plans import upward_signing as signing
from pctt.plans.models import Organisation, ReceivedReport, Report, ReportingWard, UsedNonce
from pctt.plans.periods import period_containing
from pctt.plans.upward_api import MAX_REQUEST_BYTES

pytestmark = pytest.mark.django_db
URL = "http://province.test/ke-hoach/api/bao-cao/"


def to_django(request: httpx.Request) -> httpx.Response:
    headers = {k: v for k, v in request.headers.items() if k.lower().startswith(("x-", "auth"))}
    answer = Client().generic(
        "POST",
        request.url.path,
        data=request.read(),
        content_type=request.headers.get("content-type", ""),
        headers=headers,
    )
    return httpx.Response(answer.status_code, content=answer.content)


@pytest.fixture
def upward(
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
    monkeypatch.setenv("PCTT_TEST_PROVINCE_TOKEN", token)
    upward_actions.link_province(
        user=users["quantri"], url=URL, token_env="PCTT_TEST_PROVINCE_TOKEN"
    )
    period = period_containing(timezone.localdate(), "month")
    from pctt.plans import actions

    report = actions.create_report(
        user=users["quantri"], organisation=orgs["party_building_board"], period=period
    )
    return {"token": token, "report": report, "ward": reporting_ward}


def push(report: Report, user: Any) -> Report:
    upward_actions.push_report(user=user, report=report, background=False)
    report.refresh_from_db()
    return report


@pytest.fixture
def forward(monkeypatch: pytest.MonkeyPatch) -> None:
    real = upward_push.attempt
    monkeypatch.setattr(
        upward_push,
        "attempt",
        lambda report_id, transport=None: real(report_id, httpx.MockTransport(to_django)),
    )


def test_a_pushed_report_arrives_with_its_figures_and_docx_intact(
    upward: dict[str, Any], users: dict[str, Any], forward: None
) -> None:
    report = push(upward["report"], users["quantri"])
    assert report.push_status == "sent", report.push_detail
    assert report.pushed_at is not None
    received = ReceivedReport.objects.get()
    assert received.figures == report.figures
    assert received.number == report.number and received.signature_valid
    with received.document.open("rb") as stored, report.push_document.open("rb") as sent:
        assert stored.read() == sent.read()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"pctt.plans.push_report", "pctt.plans.receive_report"} <= actions


def test_a_report_the_province_has_is_not_pushed_again(
    upward: dict[str, Any], users: dict[str, Any], forward: None
) -> None:
    report = push(upward["report"], users["quantri"])
    with pytest.raises(upward_actions.ValidationError):
        push(report, users["quantri"])


def test_a_viewer_may_not_push(upward: dict[str, Any], users: dict[str, Any]) -> None:
    with pytest.raises(upward_actions.PermissionDenied):
        push(upward["report"], users["captren"])


def test_a_server_error_is_retried_and_a_refusal_recorded_with_its_reason(
    upward: dict[str, Any], users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    scheduled: list[tuple[int, int]] = []
    monkeypatch.setattr(upward_push, "schedule_retry", lambda i, d: scheduled.append((i, d)))
    answers = iter(
        [
            httpx.Response(503, json={"detail": "maintenance"}),
            httpx.Response(401, json={"error": "bad_signature", "detail": "no match"}),
        ]
    )
    transport = httpx.MockTransport(lambda request: next(answers))
    report = upward["report"]
    real = upward_push.attempt
    monkeypatch.setattr(upward_push, "attempt", lambda i, transport_=None: real(i, transport))
    report = push(report, users["quantri"])
    assert report.push_status == "retrying" and "503" in report.push_detail
    assert scheduled == [(report.pk, upward_push.RETRY_DELAYS[0])]
    upward_push.attempt(report.pk, transport)
    report.refresh_from_db()
    assert report.push_status == "failed"
    assert "401" in report.push_detail and "no match" in report.push_detail
    assert report.push_attempts == 2


def test_a_network_error_is_retried_until_the_delays_run_out(
    upward: dict[str, Any], users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upward_push, "schedule_retry", lambda i, d: None)

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    report = upward["report"]
    upward_actions.push_report(user=users["quantri"], report=report, background=True)
    for _attempt in range(len(upward_push.RETRY_DELAYS) + 1):
        upward_push.attempt(report.pk, httpx.MockTransport(down))
    report.refresh_from_db()
    assert report.push_status == "failed" and "Đã dừng sau" in report.push_detail


def test_pushing_without_the_token_variable_is_refused_before_anything_is_sent(
    upward: dict[str, Any], users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PCTT_TEST_PROVINCE_TOKEN")
    with pytest.raises(upward_actions.ValidationError, match="PCTT_TEST_PROVINCE_TOKEN"):
        push(upward["report"], users["quantri"])


# --- the API against hostile or broken requests -----------------------------------------


def signed_post(
    upward: dict[str, Any],
    *,
    token: str | None = None,
    docx: bytes | None = None,
    payload: dict[str, Any] | None = None,
    timestamp: float | None = None,
    nonce: str | None = None,
    tamper: bool = False,
    headers: dict[str, str] | None = None,
) -> Any:
    report = upward["report"]
    token = upward["token"] if token is None else token
    docx = reporting.docx_bytes(report) if docx is None else docx
    payload = upward_push.build_payload(report) if payload is None else payload
    canonical = signing.canonical_json(payload)
    signed = signing.Signed(
        timestamp=int(time.time() if timestamp is None else timestamp),
        nonce=nonce or signing.new_nonce(),
        ward_code=upward["ward"].code,
        json_sha256=signing.sha256_hex(canonical),
        docx_sha256=signing.sha256_hex(docx),
    )
    signature = signing.sign(signing.signing_key(signing.hash_token(token)), signed)
    sent_headers = signing.headers(token, signed, signature)
    sent_headers.update(headers or {})
    if tamper:
        canonical = canonical.replace(b'"activities":', b'"activities":1')
    request = httpx.Request(
        "POST",
        URL,
        headers={k: v for k, v in sent_headers.items() if v},
        files={
            "figures": ("r.json", canonical, "application/json"),
            "document": ("r.docx", docx, upward_push.DOCX_TYPE),
        },
    )
    return to_django(request)


def test_the_api_receives_once_and_acknowledges_an_identical_resend(
    upward: dict[str, Any],
) -> None:
    docx = reporting.docx_bytes(upward["report"])
    first = signed_post(upward, docx=docx)
    assert first.status_code == 201, first.json()
    again = signed_post(upward, docx=docx)
    assert again.status_code == 200 and again.json()["created"] is False
    assert ReceivedReport.objects.count() == 1


def test_a_different_report_under_the_same_number_is_refused(upward: dict[str, Any]) -> None:
    assert signed_post(upward).status_code == 201
    payload = upward_push.build_payload(upward["report"])
    payload["figures"]["activities"] += 1
    answer = signed_post(upward, payload=payload)
    assert answer.status_code == 409 and answer.json()["error"] == "conflict"
    assert (
        ReceivedReport.objects.get().figures["activities"] == payload["figures"]["activities"] - 1
    )


@pytest.mark.parametrize(
    ("options", "status", "error"),
    [
        ({"token": "pctt_unknown"}, 401, "unknown_token"),
        ({"headers": {"Authorization": ""}}, 401, "unauthenticated"),
        ({"headers": {signing.HEADER_SIGNATURE: ""}}, 401, "unsigned"),
        ({"headers": {signing.HEADER_SIGNATURE: "0" * 64}}, 401, "bad_signature"),
        ({"tamper": True}, 401, "bad_signature"),
        ({"timestamp": time.time() - 3600}, 401, "stale_signature"),
        ({"headers": {signing.HEADER_NONCE: "../../x"}}, 400, "malformed_signature"),
        ({"docx": b"PK\x03\x04 not really"}, 415, "not_docx"),
        ({"payload": {"version": 1, "ward": {}}}, 400, "invalid"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_hostile_or_broken_requests_get_a_clear_4xx_and_nothing_is_saved(
    upward: dict[str, Any], options: dict[str, Any], status: int, error: str
) -> None:
    answer = signed_post(upward, **options)
    assert answer.status_code == status, answer.content
    assert answer.json()["error"] == error
    assert ReceivedReport.objects.count() == 0
    assert not list(Path(upward["report"].push_document.storage.location).rglob("*.docx"))


def test_a_replayed_request_is_refused(upward: dict[str, Any]) -> None:
    nonce = signing.new_nonce()
    assert signed_post(upward, nonce=nonce).status_code == 201
    answer = signed_post(upward, nonce=nonce)
    assert answer.status_code == 409 and answer.json()["error"] == "replayed"
    assert UsedNonce.objects.count() == 1


def test_another_wards_token_cannot_send_this_wards_report(
    upward: dict[str, Any], users: dict[str, Any]
) -> None:
    _other, token = upward_actions.add_reporting_ward(user=None, code="OTHER-1", name="Xã Khác")
    answer = signed_post({**upward, "ward": _other}, token=token)
    assert answer.status_code == 403 and answer.json()["error"] == "wrong_ward"


def test_oversized_malformed_and_non_multipart_bodies_are_refused(upward: dict[str, Any]) -> None:
    auth = {"Authorization": f"Bearer {upward['token']}"}
    client = Client()
    url = "/ke-hoach/api/bao-cao/"
    big = client.generic(
        "POST",
        url,
        data=b"x",
        content_type="multipart/form-data; boundary=b",
        headers=auth,
        CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1),
    )
    assert big.status_code == 413
    signed = {
        **auth,
        signing.HEADER_TIMESTAMP: str(int(time.time())),
        signing.HEADER_NONCE: signing.new_nonce(),
        signing.HEADER_SIGNATURE: "0" * 64,
    }
    garbled = client.generic(
        "POST", url, data=b"--b\r\nnonsense", content_type="multipart/form-data", headers=signed
    )
    assert garbled.status_code == 400
    json_body = client.generic(
        "POST", url, data=b"{}", content_type="application/json", headers=signed
    )
    assert json_body.status_code == 415
    assert client.get(url).status_code == 405


def test_a_figures_part_over_one_megabyte_is_refused(upward: dict[str, Any]) -> None:
    payload = upward_push.build_payload(upward["report"])
    payload["figures"]["padding"] = "x" * (signing.MAX_JSON_BYTES + 10)
    answer = signed_post(upward, payload=payload)
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"


def test_the_province_dashboard_shows_who_reported_and_the_sums(
    upward: dict[str, Any], users: dict[str, Any]
) -> None:
    assert signed_post(upward).status_code == 201
    upward_actions.add_reporting_ward(user=None, code="SILENT-1", name="Xã Im Lặng")
    report = upward["report"]
    client = Client()
    client.force_login(users["captren"])
    period = upward_push.build_payload(report)["report"]["period"]
    page = client.get(f"/admin/plans/province/?kind=month&period={period}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "status-reported" in html or "status-pending" in html
    assert f"<td>{report.figures['activities']}</td>" in html
    assert "Xã Im Lặng" in html.split("ward-grid")[1]
    assert page.context["not_reported"][0].code == "SILENT-1"
    assert page.context["totals"]["participants"] == report.figures["participants"]
    client.post("/admin/plans/province/", {"code": "X-2", "name": "Xã"})
    assert not ReportingWard.objects.filter(code="X-2").exists(), "a viewer registers nobody"


def test_the_report_screen_offers_the_push_button_and_shows_the_state(
    upward: dict[str, Any],
    users: dict[str, Any],
    forward: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    client.force_login(users["quantri"])
    url = f"/admin/plans/reports/{upward['report'].pk}/"
    assert 'id="push-report"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"{url}push/")
    assert answer.status_code == 302
    upward["report"].refresh_from_db()
    assert upward["report"].push_status == "sent"
    assert 'id="push-report"' not in client.get(url).content.decode()
