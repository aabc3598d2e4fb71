"""Ward side: one attempt to send a report to the province, run by the `push_report` task.

2xx: received. 5xx, 408, 429 and network errors: retried later with growing delays.
Any other 4xx is permanent (bad token, bad signature, refused as a conflicting resend…): the
reason the province gave is recorded on the report and nobody retries.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.plans import upward_signing as signing
from pctt.plans.models import ProvinceLink, PushStatus, Report
from pctt.plans.periods import Period
from pctt.plans.upward_schema import PAYLOAD_VERSION, period_text

#: Delays before the 2nd, 3rd… attempt; after the last, the report is marked failed.
RETRY_DELAYS = (30, 120, 600, 1800, 3600)
RETRYABLE_STATUSES = {408, 425, 429}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def configuration_problem() -> str:
    """Why this installation cannot push now, or "" when it can."""
    from pctt.plans.upward_actions import token_for

    link = ProvinceLink.current()
    if link is None:
        return _("This ward has no link to a province: set it with `pctt plans province-link`.")
    if link.mode == ProvinceLink.Mode.PUSH and not link.url:
        return _("The link to the province has no address to send to.")
    if not token_for(link):
        return _("The environment variable %(name)s (the province's token) is not set.") % {
            "name": link.token_env
        }
    return ""


def build_payload(report: Report) -> dict[str, Any]:
    ward = report.organisation.ward
    period = Period(report.period, report.starts_on, report.ends_on)
    return {
        "version": PAYLOAD_VERSION,
        "ward": {"code": ward.code, "name": ward.name},
        "report": {
            "number": report.number,
            "number_symbol": report.number_symbol,
            "layout": report.layout,
            "dated": report.dated.isoformat(),
            "title": report.title,
            "period": period_text(period),
        },
        "figures": report.figures,
    }


def signed_request(
    report: Report, token: str, docx: bytes, now: float | None = None
) -> tuple[dict[str, str], bytes]:
    """Headers and canonical JSON for one attempt: a fresh timestamp and nonce each time."""
    canonical = signing.canonical_json(build_payload(report))
    signed = signing.Signed(
        timestamp=int(time.time() if now is None else now),
        nonce=signing.new_nonce(),
        ward_code=report.organisation.ward.code,
        json_sha256=signing.sha256_hex(canonical),
        docx_sha256=signing.sha256_hex(docx),
    )
    signature = signing.sign(signing.signing_key(signing.hash_token(token)), signed)
    return signing.headers(token, signed, signature), canonical


def attempt(report_id: int, transport: httpx.BaseTransport | None = None) -> str:
    """Send once; record the outcome on the report. Safe to run twice (a report already
    received, or no longer queued, is left alone)."""
    from pctt.plans.upward_actions import token_for

    report = Report.objects.select_related("organisation__ward").filter(pk=report_id).first()
    if report is None or report.push_status not in (PushStatus.QUEUED, PushStatus.RETRYING):
        return "skipped"
    problem = configuration_problem()
    link = ProvinceLink.current()
    if problem or link is None or not report.push_document:
        return _finish(report, PushStatus.FAILED, problem or _("Nothing to send."))
    with report.push_document.open("rb") as handle:
        docx = handle.read()
    headers, canonical = signed_request(report, token_for(link), docx)
    files = {
        "figures": ("report.json", canonical, "application/json"),
        "document": (f"bao-cao-{report.number}.docx", docx, DOCX_TYPE),
    }
    timeout = httpx.Timeout(float(link.timeout_seconds), connect=10.0)
    try:
        with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as client:
            response = client.post(link.url, headers=headers, files=files)
    except httpx.HTTPError as exc:
        return _retry(report, f"{type(exc).__name__}: {exc}"[:500])
    detail = _detail(response)
    if response.status_code in (200, 201):
        return _finish(report, PushStatus.SENT, detail)
    if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
        return _retry(report, f"HTTP {response.status_code}: {detail}")
    return _finish(report, PushStatus.FAILED, f"HTTP {response.status_code}: {detail}")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("error") or body)[:1000]
    return str(body)[:300]


def _finish(report: Report, status: str, detail: str) -> str:
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        push_status=status,
        push_detail=detail,
        push_attempts=report.push_attempts + 1,
        pushed_at=now if status == PushStatus.SENT else None,
    )
    log_action(
        "pctt.plans.push_result",
        user=None,
        instance=report,
        data={"status": status, "detail": detail[:300]},
    )
    return str(status)


def _retry(report: Report, reason: str) -> str:
    attempts = report.push_attempts + 1
    if attempts > len(RETRY_DELAYS):
        message = _("Gave up after %(n)s attempts: %(reason)s") % {"n": attempts, "reason": reason}
        return _finish(report, PushStatus.FAILED, message)
    Report.objects.filter(pk=report.pk).update(
        push_status=PushStatus.RETRYING, push_detail=reason, push_attempts=attempts
    )
    schedule_retry(report.pk, RETRY_DELAYS[attempts - 1])
    return str(PushStatus.RETRYING)


def schedule_retry(report_id: int, delay_seconds: int) -> None:
    from pctt.plans import tasks

    backend = tasks.push_report.get_backend()
    if not backend.supports_defer:
        # The immediate backend (tests, no worker) cannot wait: `pctt plans push` again.
        return
    run_after = timezone.now() + timedelta(seconds=delay_seconds)
    tasks.push_report.using(run_after=run_after).enqueue(report_id)
