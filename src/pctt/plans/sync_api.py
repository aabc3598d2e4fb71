"""Activities sent from a phone: one JSON entry per request, from the form or its offline queue.

Each entry carries the phone's own id (`client_id`, a UUID), so a replayed upload returns the
saved activity instead of a copy. Answers: 201 created, 200 already recorded, 400 with the
errors by field (the phone keeps the entry and shows them), 403 not allowed, 413 too large.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pctt.core.nul import contains_nul
from pctt.plans import actions
from pctt.plans.models import Activity, Organisation

MAX_BYTES = 16_384
MAX_LIST = 50
COUNTS = ("participants", "women", "ethnic_minority", "disabled", "elderly", "youth", "copies")
TEXTS = {"place": 200, "description": 4000}


def _error(status: int, errors: dict[str, list[str]] | str) -> JsonResponse:
    body = {"errors": errors} if isinstance(errors, dict) else {"errors": {"__all__": [errors]}}
    return JsonResponse(body, status=status)


def parse_entry(payload: Any) -> tuple[int, actions.ActivityInput]:
    """Turn JSON into an ActivityInput, or raise ValidationError with every problem found."""
    if not isinstance(payload, dict):
        raise ValidationError(_("The entry must be a JSON object."))
    if contains_nul(payload):
        raise ValidationError(_("The entry holds a NUL character, which no text may contain."))
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    organisation = payload.get("organisation")
    if not isinstance(organisation, int) or isinstance(organisation, bool):
        fail("organisation", _("Choose an organisation."))
    try:
        client_id = uuid.UUID(str(payload.get("client_id", "")))
    except ValueError:
        fail("client_id", _("Missing or invalid entry id."))
        client_id = None
    try:
        held_on = date.fromisoformat(str(payload.get("held_on", "")))
    except ValueError:
        fail("held_on", _("Enter a valid date."))
        held_on = date.min
    counts: dict[str, int] = {}
    for name in COUNTS:
        value = payload.get(name, 0)
        if value in ("", None):
            value = 0
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000:
            fail(name, _("Enter a whole number from 0 to 1,000,000."))
        else:
            counts[name] = value
    lists: dict[str, list[Any]] = {}
    for name, item_type in (("groups", int), ("themes", str), ("materials", int)):
        value = payload.get(name, [])
        well_formed = isinstance(value, list) and len(value) <= MAX_LIST
        if well_formed and all(isinstance(v, item_type) and not isinstance(v, bool) for v in value):
            lists[name] = value
        else:
            fail(name, _("Expected a short list."))
    texts: dict[str, str] = {}
    for name, limit in TEXTS.items():
        value = payload.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            fail(name, _("Text too long (at most %(n)s characters).") % {"n": limit})
        else:
            texts[name] = value
    kind, form = payload.get("kind"), payload.get("form", "")
    if not isinstance(kind, str):
        fail("kind", _("Choose what was done."))
    if not isinstance(form, str):
        fail("form", _("Unknown form."))
    if errors:
        raise ValidationError(errors)
    assert isinstance(organisation, int)
    return organisation, actions.ActivityInput(
        kind=str(kind),
        held_on=held_on,
        group_ids=lists["groups"],
        theme_codes=lists["themes"],
        form_code=str(form),
        material_ids=lists["materials"],
        client_id=client_id,
        place=texts["place"],
        description=texts["description"],
        participants=counts["participants"],
        women=counts["women"],
        ethnic_minority=counts["ethnic_minority"],
        disabled=counts["disabled"],
        elderly=counts["elderly"],
        youth=counts["youth"],
        copies=counts["copies"],
    )


@require_POST
def submit_activity(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _error(403, _("Log in again: your session has ended."))
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BYTES or len(request.body) > MAX_BYTES:
        return _error(413, _("The entry is too large."))
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, _("The entry is not valid JSON."))
    try:
        organisation_id, data = parse_entry(payload)
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Unknown organisation.")]})
        activity, created = actions.record_activity(
            user=request.user, organisation=organisation, data=data
        )
    except PermissionDenied as exc:
        return _error(403, str(exc) or _("Not allowed."))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return _error(400, {k: [str(m) for m in v] for k, v in exc.message_dict.items()})
        return _error(400, " ".join(exc.messages))
    return JsonResponse(
        {"id": activity.pk, "created": created, "client_id": str(activity.client_id)},
        status=201 if created else 200,
    )


@require_POST
def submit_photo(request: HttpRequest, client_id: uuid.UUID) -> JsonResponse:
    """One evidence photo of an entry already sent (found by the entry's `client_id`); the
    body is the image itself, `X-Photo-Id` the phone's id for the photo (replays add nothing).
    Answers: 201 stored, 200 already stored, 400 not a usable photo, 403, 404 unknown entry,
    413 too large."""
    if not request.user.is_authenticated:
        return _error(403, _("Log in again: your session has ended."))
    length = int(request.headers.get("Content-Length") or 0)
    if length > actions.MAX_PHOTO_BYTES:
        return _error(413, _("The photo is larger than 8 MB."))
    try:
        photo_id = uuid.UUID(request.headers.get("X-Photo-Id", ""))
    except ValueError:
        return _error(400, _("Missing or invalid entry id."))
    activity = Activity.objects.filter(client_id=client_id).first()
    if activity is None:
        return _error(404, _("Unknown entry."))
    # Read the stream ourselves: request.body stops at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    body = request.read(actions.MAX_PHOTO_BYTES + 1)
    if len(body) > actions.MAX_PHOTO_BYTES:
        return _error(413, _("The photo is larger than 8 MB."))
    try:
        image, created = actions.add_activity_photo(
            user=request.user, activity=activity, data=body, client_id=photo_id
        )
    except PermissionDenied as exc:
        return _error(403, str(exc) or _("Not allowed."))
    except ValidationError as exc:
        return _error(400, {"photo": [str(m) for m in exc.messages]})
    return JsonResponse({"id": image.pk, "created": created}, status=201 if created else 200)
