"""Writing the audit log. Actions call `log_action` inside their transaction.

Each entry records who (the user, or "system"), when, from where (the client's IP address,
taken from the request being served, see `request_context`), what (action, object), and the
details: `data`, and `before`/`after` for edits. Phone numbers and e-mail addresses are masked
in everything written (`privacy.scrub`), so the log never holds contact data in clear.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from pctt.accounts import request_context
from pctt.accounts.models import AuditEntry
from pctt.accounts.privacy import scrub

SYSTEM = "system"


def _jsonable(value: Any) -> Any:
    """Dates, decimals and UUIDs as strings, the way Django's JSON encoder writes them."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of *fields* of *instance* (default: every concrete field but the primary
    key), for an entry's before/after: a relation as its id, dates as ISO text. Contact data
    in them is masked by `log_action` like everything else it writes."""
    if fields is None:
        fields = [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = getattr(instance, name).values_list("pk", flat=True) if instance.pk else []
            values[name] = sorted(related)
        else:
            values[name] = getattr(instance, getattr(field, "attname", name))
    jsonable: dict[str, Any] = _jsonable(values)
    return jsonable


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what differs between two snapshots: (before, after) for `log_action`."""
    keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def log_action(
    action: str,
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    instance: models.Model | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    actor = user if isinstance(user, get_user_model()) else None
    info = request_context.current()
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM,
        action=action,
        object_type=instance._meta.label if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        data=scrub(_jsonable(data or {})),
        before=scrub(_jsonable(before)),
        after=scrub(_jsonable(after)),
        ip=info.ip if info is not None else None,
    )
