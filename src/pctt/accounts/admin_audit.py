"""Audit of back-office edits made through Wagtail's generic screens (model view sets and
snippets): every add, edit and delete writes an `AuditEntry` with before/after.

Wagtail 8 saves through "actions" looked up in `wagtail.actions.action_registry`; the
`register_actions` hook in `pctt.accounts.wagtail_hooks` puts the audited actions below in
place of the defaults for every model, so a view set added later is audited without being
told. Views that save another way (a custom ``save_instance``) wrap their save in
`recording`. Pages keep Wagtail's own page actions and log.

Entries: ``admin.create`` (after), ``admin.edit`` (before/after of the fields that changed),
``admin.delete`` (before). Contact data is masked by `log_action`; password hashes and other
secrets are never written, only that they changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from django.db import models, transaction
from django_otp.models import Device
from wagtail.actions import CreateAction, DeleteAction, EditAction

from pctt.accounts.audit import changes, log_action, snapshot

CREATE: Final = "admin.create"
EDIT: Final = "admin.edit"
DELETE: Final = "admin.delete"
#: Fields whose values are never written to the log (that they changed still is).
SECRET_WORDS: Final = ("password", "secret", "token", "digest")
#: Fields of django-otp devices that hold their secret.
DEVICE_SECRETS: Final = frozenset({"key", "bin_key"})
REDACTED: Final = "[redacted]"


def _is_secret(model: type[models.Model], name: str) -> bool:
    lowered = name.lower()
    if any(word in lowered for word in SECRET_WORDS):
        return True
    return issubclass(model, Device) and lowered in DEVICE_SECRETS


def _fingerprint(value: Any) -> str:
    """A short digest standing for a secret: equal values give equal marks, so an edit can
    tell "changed" from "unchanged" without the log holding the value."""
    return f"{REDACTED}:{hashlib.sha256(str(value).encode()).hexdigest()[:8]}"


def admin_snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete fields (primary key aside) and the many-to-many fields (group
    membership, permissions: changes that matter most to an audit) of *instance*, as
    `snapshot` writes them; secrets as a fingerprint."""
    model = type(instance)
    meta = model._meta
    values = snapshot(instance, [f.name for f in meta.concrete_fields if not f.primary_key])
    for field in meta.many_to_many:
        try:
            values[field.name] = sorted(obj.pk for obj in getattr(instance, field.name).all())
        except ValueError:  # an unsaved instance has no relations yet
            values[field.name] = []
    for key, value in values.items():
        if _is_secret(model, key) and value not in (None, ""):
            values[key] = _fingerprint(value)
    return values


def stored_snapshot(instance: models.Model) -> dict[str, Any] | None:
    """The row as it is in the database now (the form may already have changed *instance*
    in memory), or None for an object not saved yet."""
    if instance.pk is None:
        return None
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return admin_snapshot(stored) if stored is not None else None


def record_save(*, user: Any, instance: models.Model, before: dict[str, Any] | None) -> None:
    """Log a create (no *before*) or an edit of *instance*, now saved. An edit that changed
    nothing is not a change of state and writes nothing."""
    after = admin_snapshot(instance)
    if before is None:
        log_action(CREATE, user=user, instance=instance, after=after)
        return
    old, new = changes(before, after)
    if old or new:
        log_action(EDIT, user=user, instance=instance, before=old, after=new)


@contextmanager
def recording(*, user: Any, instance: models.Model) -> Iterator[None]:
    """Around a save that does not go through Wagtail's actions: the entry is written in the
    same transaction as the save, so one without the other cannot happen."""
    with transaction.atomic():
        before = stored_snapshot(instance)
        yield
        record_save(user=user, instance=instance, before=before)


class AuditedCreateAction(CreateAction):  # type: ignore[misc]
    def execute(self, skip_permission_checks: bool = False) -> Any:
        with transaction.atomic():
            instance = super().execute(skip_permission_checks=skip_permission_checks)
            record_save(user=self.user, instance=instance, before=None)
        return instance


class AuditedEditAction(EditAction):  # type: ignore[misc]
    def execute(self, skip_permission_checks: bool = False) -> Any:
        with transaction.atomic():
            before = stored_snapshot(self.instance)
            instance = super().execute(skip_permission_checks=skip_permission_checks)
            record_save(user=self.user, instance=instance, before=before)
        return instance


class AuditedDeleteAction(DeleteAction):  # type: ignore[misc]
    def execute(self, skip_permission_checks: bool = False) -> Any:
        with transaction.atomic():
            before = admin_snapshot(self.instance)
            log_action(DELETE, user=self.user, instance=self.instance, before=before)
            return super().execute(skip_permission_checks=skip_permission_checks)


AUDITED_ACTIONS: Final = (AuditedCreateAction, AuditedEditAction, AuditedDeleteAction)
