"""The set-up wizard's steps that change state write what it was and what it became."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pctt.accounts.models import AuditEntry
from pctt.accounts.roles import RoleKey
from pctt.onboarding import actions
from tests.onboarding.conftest import admin, reference, state, ward  # noqa: F401

pytestmark = pytest.mark.django_db


class _Sides:
    def __init__(self, entry: AuditEntry) -> None:
        self.before: dict[str, Any] = entry.before or {}
        self.after: dict[str, Any] = entry.after or {}


def _entry(action: str) -> _Sides:
    """The before/after of the latest entry of *action* (None read as empty)."""
    entry = AuditEntry.objects.filter(action=f"pctt.onboarding.{action}").first()
    assert entry is not None, action
    return _Sides(entry)


def test_every_wizard_step_records_before_and_after(admin: Any, state: Any, ward: Any) -> None:  # noqa: F811
    assert _entry("start").after["skipped"] == []
    chosen = _entry("choose_ward")
    assert chosen.before["state"] == {"ward": None} and chosen.after["state"] == {"ward": ward.pk}

    name, kind = actions.usual_organisations(ward)[0]
    actions.add_organisations(state, [(name, kind, None)], user=admin)
    assert _entry("add_organisation").after["name"] == name

    account, password = actions.create_account(
        state, user=admin, username="canbo1", full_name="Cán bộ", role=RoleKey.ALERT_OPERATOR
    )
    created = _entry("create_account")
    assert created.after["username"] == "canbo1" and created.after["is_active"] is True
    assert created.after["groups"] and password not in json.dumps(created.after)
    assert account.password not in json.dumps(created.after)

    actions.skip(state, "channels", user=admin)
    skipped = _entry("skip")
    assert skipped.before == {"skipped": []} and skipped.after == {"skipped": ["channels"]}

    actions.review_templates(state, user=admin)
    reviewed = _entry("review_templates")
    assert reviewed.before["templates_reviewed_by"] is None
    assert reviewed.after["templates_reviewed_by"] == admin.pk

    actions.finish(state, user=admin)
    finished = _entry("finish")
    assert finished.before == {"finished_at": None} and finished.after["finished_at"]
