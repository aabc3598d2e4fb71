"""Province side: `POST /ke-hoach/api/bao-cao/`, where wards push their reports.

multipart/form-data with two file parts, `figures` (canonical JSON, ≤ 1 MB) and `document`
(.docx, ≤ 10 MB); headers `Authorization: Bearer <token>`, `X-Pctt-Timestamp`,
`X-Pctt-Nonce`, `X-Pctt-Signature` (see `upward_signing`). Checks run cheapest first, and the
body is not parsed before the token is known. Every refusal is a JSON 4xx
`{"error": code, "detail": text}`; nothing is stored unless every check passed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pctt.plans import upward_actions
from pctt.plans import upward_signing as signing
from pctt.plans.models import ReportingWard
from pctt.plans.upward_schema import SchemaError, validate_payload

#: Both parts at their limits plus the multipart framing.
MAX_REQUEST_BYTES = signing.MAX_JSON_BYTES + signing.MAX_DOCX_BYTES + 64_000


def _refuse(status: int, error: str, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": error, "detail": detail, **extra}, status=status)


def _ward(request: HttpRequest) -> ReportingWard | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
        return None
    return ReportingWard.objects.filter(
        token_hash=signing.hash_token(token.strip()), enabled=True
    ).first()


@csrf_exempt
@require_POST
def receive(request: HttpRequest) -> JsonResponse:
    length_header = request.headers.get("Content-Length", "")
    if not length_header.isdigit():
        return _refuse(411, "length_required", _("Send the request with a Content-Length."))
    if int(length_header) > MAX_REQUEST_BYTES:
        return _refuse(413, "too_large", _("The request is larger than 11 MB."))
    if not request.headers.get("Authorization"):
        return _refuse(401, "unauthenticated", _("Send the ward's token (Authorization: Bearer)."))
    ward = _ward(request)
    if ward is None:
        return _refuse(401, "unknown_token", _("Unknown or disabled token."))
    timestamp = request.headers.get(signing.HEADER_TIMESTAMP, "")
    nonce = request.headers.get(signing.HEADER_NONCE, "")
    signature = request.headers.get(signing.HEADER_SIGNATURE, "")
    if not (timestamp and nonce and signature):
        return _refuse(401, "unsigned", _("The request is not signed."))
    if not timestamp.isdigit() or not signing.NONCE_PATTERN.match(nonce) or len(signature) > 64:
        return _refuse(400, "malformed_signature", _("Malformed signature headers."))
    if not signing.check_timestamp(int(timestamp), time.time()):
        return _refuse(401, "stale_signature", _("The signature is too old or in the future."))
    if request.content_type != "multipart/form-data":
        return _refuse(415, "unsupported_type", _("Send multipart/form-data."))
    try:
        figures, document = request.FILES.get("figures"), request.FILES.get("document")
    except (MultiPartParserError, SuspiciousOperation, UnreadablePostError, ValueError):
        return _refuse(400, "malformed", _("The multipart body cannot be read."))
    if figures is None or document is None:
        return _refuse(400, "missing_part", _("Send both parts: figures and document."))
    if (figures.size or 0) > signing.MAX_JSON_BYTES:
        return _refuse(413, "too_large", _("The figures are larger than 1 MB."))
    if (document.size or 0) > signing.MAX_DOCX_BYTES:
        return _refuse(413, "too_large", _("The document is larger than 10 MB."))
    docx = document.read(signing.MAX_DOCX_BYTES + 1)
    return accept(
        ward,
        figures.read(signing.MAX_JSON_BYTES + 1),
        docx,
        timestamp=int(timestamp),
        nonce=nonce,
        signature=signature,
    )


def accept(
    ward: ReportingWard,
    raw_figures: bytes,
    docx: bytes,
    *,
    timestamp: int,
    nonce: str,
    signature: str,
) -> JsonResponse:
    """The checks after transport, the same for a report pushed by the ward and one the
    province pulled from the ward's outbox: JSON, signature, schema, ward, .docx, replay."""
    try:
        payload = signing.parse_json(raw_figures)
        canonical = signing.canonical_json(payload)
    except signing.CanonicalError as exc:
        return _refuse(400, "malformed_json", str(exc)[:300])
    signed = signing.Signed(
        timestamp=timestamp,
        nonce=nonce,
        ward_code=ward.code,
        json_sha256=signing.sha256_hex(canonical),
        docx_sha256=signing.sha256_hex(docx),
    )
    if not signing.verify(signing.signing_key(ward.token_hash), signed, signature):
        return _refuse(401, "bad_signature", _("The signature does not match."))
    try:
        validate_payload(payload)
    except SchemaError as exc:
        return _refuse(400, "invalid", _("The figures do not match the schema."), errors=exc.errors)
    if payload["ward"]["code"] != ward.code:
        return _refuse(403, "wrong_ward", _("This token belongs to another ward."))
    try:
        signing.check_docx(docx)
    except signing.DocxError as exc:
        return _refuse(
            415, "not_docx", _("The document is not a .docx file: %(why)s") % {"why": exc}
        )
    upload = upward_actions.Upload(payload, canonical, docx, signed, signature.strip().lower())
    try:
        received, created = upward_actions.receive_report(ward=ward, upload=upload)
    except upward_actions.Replayed:
        return _refuse(409, "replayed", _("This request was already received (nonce reused)."))
    except upward_actions.Conflict:
        return _refuse(
            409,
            "conflict",
            _(
                "A different report with this period and number was already received; "
                "send a correction as a new report with a new number."
            ),
        )
    return JsonResponse(
        {
            "id": received.pk,
            "created": created,
            "detail": _("Received.") if created else _("Already received (identical)."),
            "json_sha256": received.json_sha256,
            "docx_sha256": received.docx_sha256,
        },
        status=201 if created else 200,
    )
