"""Public endpoints: the e-mail unsubscribe link, gateway delivery reports and inbound SMS.

Gateway endpoints authenticate with a token the provider's options name by environment
variable (``webhook_token_env``); a body that is not what we expect is a 400, never a 500.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pctt.core.nul import contains_nul
from pctt.dispatch.channels.base import Report
from pctt.dispatch.consent import handle_inbound_sms, unsubscribe_by_token
from pctt.dispatch.models import ChannelProvider

logger = logging.getLogger("pctt.dispatch.views")

MAX_BODY = 64 * 1024
MAX_REPORTS = 1000


@csrf_exempt  # the signed token is the authorisation; mail clients' one-click POST has no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        ok = unsubscribe_by_token(token)
        return render(
            request,
            "dispatch/unsubscribe.html",
            {"state": "done" if ok else "invalid"},
            status=200 if ok else 400,
        )
    # GET only shows a button: link scanners must not unsubscribe anyone.
    from pctt.dispatch.tokens import read_unsubscribe_token

    state = "confirm" if read_unsubscribe_token(token) else "invalid"
    return render(
        request,
        "dispatch/unsubscribe.html",
        {"state": state},
        status=200 if state == "confirm" else 400,
    )


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def webhook_authorised(request: HttpRequest, provider: ChannelProvider) -> bool:
    """The request carries the token named by the provider's `webhook_token_env`."""
    name = provider.options.get("webhook_token_env") if isinstance(provider.options, dict) else None
    expected = os.environ.get(str(name), "") if name else ""
    if not expected:
        return False
    given = request.headers.get("X-PCTT-Token", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        given = auth[len("Bearer ") :]
    return hmac.compare_digest(given.encode(), expected.encode())


def signature_authorised(request: HttpRequest, provider: ChannelProvider) -> bool:
    """A signed webhook partner's report: HMAC of the body with the shared secret, in the
    replay window (pctt.dispatch.channels.webhook)."""
    from pctt.dispatch.channels.webhook import verify_signature

    options = provider.options if isinstance(provider.options, dict) else {}
    if provider.kind != ChannelProvider.Kind.WEBHOOK or not options.get("secret_env"):
        return False
    key = os.environ.get(str(options["secret_env"]), "")
    header = request.headers.get(str(options.get("signature_header", "X-PCTT-Signature")), "")
    if not header or int(request.headers.get("Content-Length") or 0) > MAX_BODY:
        return False
    return verify_signature(key, header, request.body)


def _provider(request: HttpRequest, name: str) -> ChannelProvider | JsonResponse:
    provider = ChannelProvider.objects.filter(name=name[:50], enabled=True).first()
    if provider is None:
        return _error("unknown provider", 404)
    if not (webhook_authorised(request, provider) or signature_authorised(request, provider)):
        return _error("forbidden", 403)
    return provider


def webhook_body(request: HttpRequest) -> Any:
    """The JSON or form body as plain data; ValueError when unusable (too large, malformed)."""
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY or len(request.body) > MAX_BODY:
        raise ValueError("body too large")
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ValueError("malformed JSON") from exc
    else:
        try:
            data = {key: request.POST.get(key, "") for key in request.POST}
        except MultiPartParserError as exc:
            raise ValueError("malformed form body") from exc
    if contains_nul(data):
        raise ValueError("a text in the body holds a NUL character")
    return data


def parse_reports(data: Any, provider: ChannelProvider) -> list[Report]:
    """The reports in a callback body, by the provider's kind; ValueError when unusable."""
    from pctt.dispatch.channels.messaging_app import parse_events
    from pctt.dispatch.channels.sms_http import parse_report

    options = provider.options if isinstance(provider.options, dict) else {}
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_REPORTS or not all(isinstance(i, dict) for i in items):
        raise ValueError("expected a report object or a list of them")
    try:
        if provider.kind == ChannelProvider.Kind.MESSAGING_APP:
            reports = [r for item in items for r in parse_events(item, options)]
            if len(reports) > MAX_REPORTS:
                raise ValueError("too many reports")
            return reports
        return [parse_report(item, options) for item in items]
    except (TypeError, AttributeError) as exc:
        raise ValueError(str(exc)) from exc


@csrf_exempt
@require_POST
def delivery_report(request: HttpRequest, provider: str) -> JsonResponse:
    """Delivery reports of one provider; vendor codes are mapped to our statuses as data
    (sms_http.STATUS_CODES, messaging_app.EVENTS, and each provider's options)."""
    from pctt.dispatch.receipts import apply_reports

    found = _provider(request, provider)
    if isinstance(found, JsonResponse):
        return found
    try:
        reports = parse_reports(webhook_body(request), found)
    except ValueError as exc:
        return _error(f"unusable report: {exc}")
    updated = apply_reports(found.name, reports)
    return JsonResponse({"received": len(reports), "updated": updated})


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest, provider: str) -> JsonResponse:
    found = _provider(request, provider)
    if isinstance(found, JsonResponse):
        return found
    try:
        data = webhook_body(request)
    except ValueError as exc:
        return _error(str(exc))
    if not isinstance(data, dict):
        return _error("expected an object")
    sender = data.get(str(found.options.get("inbound_from_field", "from")))
    text = data.get(str(found.options.get("inbound_text_field", "text")))
    if not isinstance(sender, str) or not isinstance(text, str):
        return _error("missing sender or text")
    # Consent first (STOP, confirmation codes), then residents' messages (HOI, BAO, TIN…).
    from pctt.community.inbound import handle_inbound_sms as community_inbound

    reply = handle_inbound_sms(sender, text) or community_inbound(sender, text)
    return JsonResponse({"reply": reply or ""})
