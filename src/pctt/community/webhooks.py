"""Inbound webhooks: the SMS gateway (keyword) and the messaging app's official account.

They authenticate like the dispatch gateway callbacks: a ``ChannelProvider`` row names the
environment variable holding the token (``options.webhook_token_env``). Every unusable body
(too large, not JSON, wrong shape) is a 400 with a reason, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pctt.community import inbound, photos


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _provider(request: HttpRequest, name: str, channel: int) -> Any:
    from pctt.dispatch.models import ChannelProvider
    from pctt.dispatch.views import webhook_authorised

    provider = ChannelProvider.objects.filter(name=name[:50], enabled=True, channel=channel).first()
    if provider is None:
        return _error("unknown provider", 404)
    if not webhook_authorised(request, provider):
        return _error("forbidden", 403)
    return provider


def _body(request: HttpRequest) -> Any:
    from pctt.dispatch.views import webhook_body

    return webhook_body(request)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest, provider: str) -> JsonResponse:
    """The whole inbound SMS path: dispatch's replies first (STOP, opt-in codes), then the
    residents' voice keywords. Point the gateway here, or let dispatch's own webhook call
    :func:`pctt.community.inbound.handle_inbound_sms` after its handler."""
    from pctt.dispatch.actions import handle_inbound_sms as dispatch_handler
    from pctt.dispatch.models.outbox import Channel

    found = _provider(request, provider, Channel.SMS)
    if isinstance(found, JsonResponse):
        return found
    try:
        data = _body(request)
    except ValueError as exc:
        return _error(str(exc))
    if not isinstance(data, dict):
        return _error("expected an object")
    sender = data.get(str(found.options.get("inbound_from_field", "from")))
    text = data.get(str(found.options.get("inbound_text_field", "text")))
    if not isinstance(sender, str) or not isinstance(text, str):
        return _error("missing sender or text")
    if len(text) > inbound.MAX_INBOUND:
        return _error("text too long")
    reply = dispatch_handler(sender, text) or inbound.handle_inbound_sms(sender, text)
    return JsonResponse({"reply": reply or ""})


#: A message with a photo: the photo's limit, base64 (4/3) and the text fields.
MAX_APP_BODY = photos.MAX_BYTES * 4 // 3 + 64 * 1024


def _app_body(request: HttpRequest, image_field: str) -> tuple[Any, bytes | None]:
    """The messaging app's webhook body and the bytes of an attached image, if any.

    JSON may carry the image as base64 (``"image": "<base64>"`` or a ``data:image/...``
    URL); a multipart form as a file. Only bytes in the request are taken: a link to an
    image is never fetched. ValueError when the body is unusable."""
    content_type = request.headers.get("Content-Type", "")
    length = int(request.headers.get("Content-Length") or 0)
    if content_type.startswith("multipart/form-data"):
        if length > photos.MAX_BYTES + 64 * 1024:
            raise ValueError("body too large")
        try:
            data: dict[str, Any] = {key: request.POST.get(key, "") for key in request.POST}
            upload = request.FILES.get(image_field)
        except MultiPartParserError as exc:
            raise ValueError("malformed form body") from exc
        if upload is None:
            return data, None
        # One byte over the limit is enough for the photo check to refuse it as too large.
        return data, upload.read(photos.MAX_BYTES + 1)
    if not content_type.startswith("application/json"):
        return _body(request), None
    if length > MAX_APP_BODY:
        raise ValueError("body too large")
    raw = request.read(MAX_APP_BODY + 1)
    if len(raw) > MAX_APP_BODY:
        raise ValueError("body too large")
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError("malformed JSON") from exc
    if not isinstance(parsed, dict):
        return parsed, None
    image = parsed.pop(image_field, None)
    if image is None or image == "":
        return parsed, None
    if not isinstance(image, str):
        raise ValueError("image must be base64 text")
    if image.startswith("data:"):
        image = image.partition(",")[2]
    try:
        return parsed, base64.b64decode(image, validate=True)
    except (binascii.Error, ValueError):
        return parsed, b""  # not base64: an unusable photo, reported to the resident


@csrf_exempt
@require_POST
def inbound_app(request: HttpRequest, provider: str) -> JsonResponse:
    from pctt.dispatch.models.outbox import Channel

    found = _provider(request, provider, Channel.APP)
    if isinstance(found, JsonResponse):
        return found
    try:
        data, image = _app_body(request, str(found.options.get("inbound_image_field", "image")))
    except ValueError as exc:
        return _error(str(exc))
    if not isinstance(data, dict):
        return _error("expected an object")
    user = data.get(str(found.options.get("inbound_from_field", "from")))
    text = data.get(str(found.options.get("inbound_text_field", "text")), "")
    link = data.get("link", "")
    if not isinstance(user, str) or not isinstance(text, str) or not isinstance(link, str):
        return _error("missing sender or text")
    if len(text) > inbound.MAX_INBOUND or len(user) > 64 or len(link) > 500:
        return _error("field too long")
    reply = inbound.handle_app_message(user, text, link, photo=image)
    return JsonResponse({"reply": reply or ""})
