"""No user-supplied HTML is rendered unsanitised: every `|safe`, `mark_safe` and `SafeString`
in our code is reviewed (a new one fails here until it is), and hostile text entered by
residents and officials comes back escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pctt.accounts.audit import log_action
from pctt.accounts.roles import RoleKey
from tests.alerts.factories import flood_draft, user_with
from tests.conftest import ROOT

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'><svg onload=alert(2)>'

#: (file, what is marked safe) -> why it cannot carry user HTML.
REVIEWED = {
    ("community/templates/community/admin/summary.html", "chart|safe"): "SVG built with escape()",
    ("community/templates/community/correction.html", "json_ld|safe"): (
        "claimreview.script_json escapes < > & inside the JSON"
    ),
    ("hazards/wagtail_hooks.py", "SafeString("): "static markup with format_html parts",
    ("onboarding/wagtail_hooks.py", "SafeString("): "an autoescaped template's output",
    ("hazards/admin_views.py", "mark_safe("): "joins parts each built with format_html",
    ("loudspeakers/maps.py", "mark_safe("): "joins parts each built with format_html",
    ("areas/svg.py", "mark_safe("): "joins parts each built with format_html",
}

_PATTERNS = {
    ".html": re.compile(r"\{\{[^}]*?(\w+)\|safe"),
    ".py": re.compile(r"\b(mark_safe|SafeString)\("),
}


def _marked_safe() -> set[tuple[str, str]]:
    found = set()
    source = ROOT / "src" / "pctt"
    for path in source.rglob("*"):
        pattern = _PATTERNS.get(path.suffix)
        if pattern is None or "migrations" in path.parts:
            continue
        relative = str(path.relative_to(source))
        for match in pattern.finditer(path.read_text(errors="replace")):
            found.add(
                (
                    relative,
                    f"{match.group(1)}|safe" if path.suffix == ".html" else f"{match.group(1)}(",
                )
            )
    return found


def test_every_use_of_safe_markup_is_reviewed() -> None:
    unreviewed = _marked_safe() - set(REVIEWED)
    assert not unreviewed, f"review these (can user text reach them?): {sorted(unreviewed)}"


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert "<svg onload" not in html


@pytest.mark.django_db
def test_hostile_text_in_a_warning_is_escaped_in_the_back_office(demo_ward: object) -> None:
    author = user_with(RoleKey.ALERT_OPERATOR, "op")
    alert = flood_draft(author)
    from pctt.alerts.models import Alert

    Alert.objects.filter(pk=alert.pk).update(
        headline_vi=HOSTILE, description_vi=HOSTILE, instruction_vi=HOSTILE, note=HOSTILE
    )
    client = Client()
    client.force_login(author)
    for path in ("/admin/warnings/", f"/admin/warnings/{alert.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        _assert_escaped(response.content.decode())


@pytest.mark.django_db
def test_hostile_text_in_the_audit_log_is_escaped(demo_ward: object) -> None:
    entry = log_action("test.hostile", user=None, data={"note": HOSTILE}, after={HOSTILE: 1})
    client = Client()
    client.force_login(user_with(RoleKey.ADMINISTRATOR, "qt"))
    for path in (f"/admin/audit/?action={HOSTILE}", f"/admin/audit/{entry.pk}/"):
        _assert_escaped(client.get(path).content.decode())


@pytest.mark.django_db
def test_hostile_text_sent_by_a_resident_is_escaped_for_the_triage_officer(
    demo_ward: object,
) -> None:
    from pctt.community import actions

    made = actions.receive(actions.Intake(kind="question", source="portal", text=HOSTILE))
    client = Client()
    client.force_login(user_with(RoleKey.TRIAGE_OFFICER, "tn"))
    for path in ("/admin/community/", f"/admin/community/{made.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_escaped(response.content.decode())


@pytest.mark.django_db
def test_a_hostile_query_string_is_escaped_on_the_portal(demo_ward: object) -> None:
    client: Any = Client()
    for path in ("/", "/y-kien/", "/thu-vien/", "/nhan-canh-bao/"):
        response = client.get(path, {"q": HOSTILE, "next": HOSTILE})
        assert response.status_code in (200, 302, 404), path
        _assert_escaped(response.content.decode())
