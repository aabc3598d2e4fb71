"""Province side of the pull alternative: collect the reports a ward released in its outbox
(`upward_outbox`), check each exactly as a pushed one (`upward_api.accept`) and acknowledge it.

For wards with a `pull_url`: `pctt plans province pull [CODE…]` or *Wards' reports* →
*Collect now*. Reports the province already has (same ward, period and number) are not
fetched again; an identical one is acknowledged again, which is harmless.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from django.utils import timezone

from pctt.accounts.audit import log_action
from pctt.plans import upward_signing as signing
from pctt.plans.models import ReceivedReport, ReportingWard

#: The envelope: 1 MB of figures and a 10 MB .docx in base64, with room for the framing.
MAX_RESPONSE_BYTES = signing.MAX_JSON_BYTES + signing.MAX_DOCX_BYTES * 4 // 3 + 64_000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass
class PullResult:
    ward: str
    received: int = 0
    already: int = 0
    refused: list[str] = field(default_factory=list)
    error: str = ""


class PullError(Exception):
    pass


def _signed_headers(ward: ReportingWard, method: str, url: str) -> dict[str, str]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    pull = signing.PullRequest(int(time.time()), signing.new_nonce(), ward.code, f"{method} {path}")
    signature = signing.sign_pull(signing.signing_key(ward.token_hash), pull)
    return {
        signing.HEADER_TIMESTAMP: str(pull.timestamp),
        signing.HEADER_NONCE: pull.nonce,
        signing.HEADER_SIGNATURE: signature,
    }


def _get(client: httpx.Client, ward: ReportingWard, url: str) -> tuple[Any, httpx.Headers]:
    headers = _signed_headers(ward, "GET", url)
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code != 200:
            response.read()
            raise PullError(f"HTTP {response.status_code}: {response.text[:300]}")
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_RESPONSE_BYTES:
                raise PullError("the ward's answer is too large")
        try:
            return signing.parse_json(body), response.headers
        except signing.CanonicalError as exc:
            raise PullError(f"not valid JSON: {exc}") from None


def pull_ward(ward: ReportingWard, *, transport: httpx.BaseTransport | None = None) -> PullResult:
    """Collect one ward's released reports. Network and protocol problems are recorded on the
    ward (`last_pull_detail`) and returned, not raised: one ward down must not stop the rest."""
    from pctt.plans.upward_api import accept

    result = PullResult(ward.code)
    base = ward.pull_url
    try:
        with httpx.Client(timeout=TIMEOUT, transport=transport, follow_redirects=False) as client:
            listing, _headers = _get(client, ward, base)
            if not isinstance(listing, dict) or listing.get("ward") != ward.code:
                raise PullError("the outbox belongs to another ward")
            items = listing.get("reports")
            if not isinstance(items, list):
                raise PullError("no list of reports")
            for item in items[:100]:
                if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                    raise PullError("malformed list of reports")
                number = item.get("number")
                known = isinstance(number, int) and (
                    ReceivedReport.objects.filter(
                        ward=ward, period=str(item.get("period")), number=number
                    ).exists()
                )
                if known and item.get("status") == "sent":
                    result.already += 1
                    continue
                url = urljoin(base, f"{item['id']}/")
                envelope, headers = _get(client, ward, url)
                outcome = _accept_envelope(accept, ward, envelope, headers)
                if outcome in (200, 201):
                    result.received += outcome == 201
                    result.already += outcome == 200
                    ack = urljoin(url, "nhan/")
                    client.post(ack, headers=_signed_headers(ward, "POST", ack))
                else:
                    result.refused.append(f"{item['id']}: {outcome}")
    except (httpx.HTTPError, PullError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    detail = result.error or (
        f"received {result.received}, already had {result.already}, refused {len(result.refused)}"
        + (f" ({'; '.join(result.refused)})" if result.refused else "")
    )
    ReportingWard.objects.filter(pk=ward.pk).update(
        last_pulled_at=timezone.now(), last_pull_detail=detail[:500]
    )
    log_action("pctt.plans.pull", user=None, instance=ward, data={"detail": detail[:300]})
    return result


def _accept_envelope(accept: Any, ward: ReportingWard, envelope: Any, headers: Any) -> int | str:
    """200/201 when stored (or already identical), else the refusal code."""
    if not isinstance(envelope, dict) or set(envelope) != {"figures", "document"}:
        return "malformed envelope"
    figures, document = envelope["figures"], envelope["document"]
    if not isinstance(figures, str) or not isinstance(document, str):
        return "malformed envelope"
    try:
        docx = base64.b64decode(document, validate=True)
    except (binascii.Error, ValueError):
        return "document is not base64"
    timestamp = headers.get(signing.HEADER_TIMESTAMP, "")
    nonce = headers.get(signing.HEADER_NONCE, "")
    signature = headers.get(signing.HEADER_SIGNATURE, "")
    if not timestamp.isdigit() or not signing.NONCE_PATTERN.match(nonce) or len(signature) > 64:
        return "unsigned"
    if not signing.check_timestamp(int(timestamp), time.time()):
        return "stale_signature"
    response = accept(
        ward,
        figures.encode("utf-8"),
        docx,
        timestamp=int(timestamp),
        nonce=nonce,
        signature=signature,
    )
    if response.status_code in (200, 201):
        return int(response.status_code)
    return str(json.loads(response.content).get("error", response.status_code))


def pull_all(
    codes: list[str] | None = None, *, transport: httpx.BaseTransport | None = None
) -> list[PullResult]:
    wards = ReportingWard.objects.filter(enabled=True).exclude(pull_url="")
    if codes:
        wards = wards.filter(code__in=codes)
    return [pull_ward(ward, transport=transport) for ward in wards]
