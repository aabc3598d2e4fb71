"""Ward side of the pull alternative: the province collects reports from this ward's outbox
(`/ke-hoach/api/bao-cao/cho-tinh/`) instead of the ward pushing them.

Only when this ward's `ProvinceLink` is in "pull" mode. Every request is signed by the
province with the key both ends hold (the SHA-256 of the ward's token: the ward has the token
in its environment, the province its hash), over the method and path, so it cannot be moved
to another report or replayed after the 5-minute window. The reports served carry the same
signed figures and .docx a push would send, and the province checks them the same way
(`upward_api.accept`). The outbox lists only reports a person released ("Send to the
province"); the province's acknowledgement marks them received.

GET  cho-tinh/             → {"ward": code, "reports": [{id, number, period, status}]}
GET  cho-tinh/<id>/        → {"figures": canonical JSON text, "document": base64 .docx}
                             with X-Pctt-Timestamp/-Nonce/-Signature as a push has them
POST cho-tinh/<id>/nhan/   → the province has it: the report is marked received
"""

from __future__ import annotations

import base64
import time

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from pctt.accounts.audit import log_action
from pctt.plans import upward_signing as signing
from pctt.plans.models import Plan, ProvinceLink, PushStatus, Report
from pctt.plans.periods import Period
from pctt.plans.upward_actions import token_for
from pctt.plans.upward_push import signed_request
from pctt.plans.upward_schema import period_text

#: Reports the outbox lists: released and not yet acknowledged, or acknowledged recently.
OUTBOX_STATES = (PushStatus.READY, PushStatus.SENT)
MAX_LISTED = 100


def _refuse(status: int, error: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": error, "detail": detail}, status=status)


def _authorised(request: HttpRequest) -> tuple[str, str] | JsonResponse:
    """(ward code, token) when the request is the province's, signed; else the refusal."""
    link = ProvinceLink.current()
    plan = Plan.current()
    if link is None or link.mode != ProvinceLink.Mode.PULL or plan is None or plan.ward is None:
        return _refuse(404, "not_pulled", _("This ward does not offer its reports for pulling."))
    token = token_for(link)
    if not token:
        return _refuse(503, "not_configured", _("The ward's token is not set on this server."))
    timestamp = request.headers.get(signing.HEADER_TIMESTAMP, "")
    nonce = request.headers.get(signing.HEADER_NONCE, "")
    signature = request.headers.get(signing.HEADER_SIGNATURE, "")
    if not (timestamp and nonce and signature):
        return _refuse(401, "unsigned", _("The request is not signed."))
    if not timestamp.isdigit() or not signing.NONCE_PATTERN.match(nonce) or len(signature) > 64:
        return _refuse(400, "malformed_signature", _("Malformed signature headers."))
    if not signing.check_timestamp(int(timestamp), time.time()):
        return _refuse(401, "stale_signature", _("The signature is too old or in the future."))
    pull = signing.PullRequest(
        int(timestamp), nonce, plan.ward.code, f"{request.method} {request.get_full_path()}"
    )
    if not signing.verify_pull(signing.signing_key(signing.hash_token(token)), pull, signature):
        return _refuse(401, "bad_signature", _("The signature does not match."))
    return plan.ward.code, token


def _released(pk: int) -> Report | None:
    return (
        Report.objects.select_related("organisation__ward")
        .filter(pk=pk, push_status__in=OUTBOX_STATES)
        .exclude(push_document="")
        .first()
    )


@require_GET
def outbox(request: HttpRequest) -> HttpResponseBase:
    checked = _authorised(request)
    if isinstance(checked, JsonResponse):
        return checked
    code, _token = checked
    reports = (
        Report.objects.filter(push_status__in=OUTBOX_STATES)
        .exclude(push_document="")
        .order_by("-dated", "-pk")[:MAX_LISTED]
    )
    return JsonResponse(
        {
            "ward": code,
            "reports": [
                {
                    "id": r.pk,
                    "number": r.number,
                    "period": period_text(Period(r.period, r.starts_on, r.ends_on)),
                    "status": r.push_status,
                }
                for r in reports
            ],
        }
    )


@require_GET
def outbox_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    checked = _authorised(request)
    if isinstance(checked, JsonResponse):
        return checked
    _code, token = checked
    report = _released(pk)
    if report is None:
        return _refuse(404, "unknown_report", _("No such report in the outbox."))
    with report.push_document.open("rb") as handle:
        docx = handle.read()
    headers, canonical = signed_request(report, token, docx)
    response = JsonResponse(
        {"figures": canonical.decode("utf-8"), "document": base64.b64encode(docx).decode()}
    )
    for name in (signing.HEADER_TIMESTAMP, signing.HEADER_NONCE, signing.HEADER_SIGNATURE):
        response[name] = headers[name]
    return response


@csrf_exempt
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponseBase:
    checked = _authorised(request)
    if isinstance(checked, JsonResponse):
        return checked
    report = _released(pk)
    if report is None:
        return _refuse(404, "unknown_report", _("No such report in the outbox."))
    if report.push_status != PushStatus.SENT:
        Report.objects.filter(pk=report.pk).update(
            push_status=PushStatus.SENT,
            push_detail=_("Collected by the province."),
            pushed_at=timezone.now(),
            push_attempts=report.push_attempts + 1,
        )
        log_action(
            "pctt.plans.push_result",
            user=None,
            instance=report,
            data={"status": PushStatus.SENT, "detail": "collected by the province"},
        )
    return JsonResponse({"id": report.pk, "status": PushStatus.SENT})
