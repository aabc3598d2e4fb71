"""Summaries for organisations: counts and texts by theme, group and month — never persons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pctt.accounts.roles import RoleKey
from pctt.community import actions
from tests.community.conftest import user_with

pytestmark = pytest.mark.django_db


def test_counts_and_texts_export_without_contacts(ward: Any, triage: Any) -> None:
    group = ward.children.order_by("code").first()
    a = actions.receive(
        actions.Intake(
            kind="concern",
            source="portal",
            text='=HYPERLINK("x")',
            residential_group_id=group.pk,
            answer_channel="sms",
            contact="0912345678",
            consent=True,
        )
    )
    actions.receive(actions.Intake(kind="question", source="portal", text="Điểm sơ tán ở đâu?"))
    actions.receive(actions.Intake(kind="hazard", source="portal", text="Sạt lở"))
    actions.set_theme([a], "infrastructure", user=triage)
    viewer = user_with(RoleKey.VIEWER, "captren2")
    client = Client()
    client.force_login(viewer)
    html = client.get("/admin/community/summary/").content.decode()
    assert "<svg" in html and group.name in html
    counts = client.get("/admin/community/summary/?export=counts").content.decode()
    assert "theme,dykes, roads, drainage" in counts or "theme," in counts
    assert counts.count("\r\nkind,") == 2 and "hazard" not in counts  # questions and concerns only
    texts = client.get("/admin/community/summary/?export=texts").content.decode()
    assert "'=HYPERLINK" in texts and "Sạt lở" not in texts
    assert "0912345678" not in texts + counts and "+84" not in texts
    assert client.get("/admin/community/").status_code in (302, 403)  # no queue for them
