"""Writing the audit log. Actions call `log_action` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from pctt.accounts.models import AuditEntry

SYSTEM = "system"


def log_action(
    action: str,
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    instance: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    actor = user if isinstance(user, get_user_model()) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else SYSTEM,
        action=action,
        object_type=instance._meta.label if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        data=data or {},
    )
