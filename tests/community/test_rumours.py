"""Rumour control: claims from reports, verification, publication, ClaimReview, the list."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pctt.accounts.roles import RoleKey
from pctt.community import actions
from pctt.community.models import Claim, Evidence, Status, Submission, Verdict
from tests.community.conftest import user_with
from tests.community.schemaorg_vocabulary import PROPERTIES, RANGES

pytestmark = pytest.mark.django_db


def _report(text: str, **kw: Any) -> Submission:
    return actions.receive(actions.Intake(kind="claim", source="portal", text=text, **kw))


@pytest.fixture
def claim(ward: Any, triage: Any) -> Claim:
    _report(
        "Thủy điện xả lũ khẩn cấp đêm nay, cả phường sơ tán!",
        answer_channel="email",
        contact="a@example.org",
        consent=True,
    )
    _report("thuy dien xa lu khan cap dem nay ca phuong so tan")
    _report("Thuỷ điện xả lũ khẩn cấp đêm nay, cả phường phải sơ tán ngay!!")
    leader = Submission.objects.leaders().get()
    made = actions.claim_from_reports([leader], user=triage)
    made.verdict = Verdict.FALSE
    made.title = "Không có xả lũ khẩn cấp <script>"
    made.facts = "Đơn vị vận hành xác nhận không xả lũ."
    made.short_text = "PCTT: tin xa lu la SAI."
    Evidence.objects.create(claim=made, kind="official", description="Công văn")
    return actions.save_claim(made, user=triage, previous_verdict=Verdict.PENDING)


def test_near_duplicate_reports_become_one_claim_with_variants(claim: Claim, triage: Any) -> None:
    assert claim.reports.count() == 3
    assert claim.variants.count() == 1  # the retyped copy folds to the same text
    assert claim.verified_by == triage and claim.verified_at is not None


def test_publishing_needs_a_reviewer_and_a_complete_correction(claim: Claim, triage: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.publish_correction(claim, user=triage)
    reviewer = user_with(RoleKey.CONTENT_REVIEWER, "dnd2")
    claim.evidence.all().delete()
    with pytest.raises(ValidationError):
        actions.publish_correction(claim, user=reviewer)


def test_publishing_answers_every_report_and_the_page_carries_valid_claimreview(
    claim: Claim, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    reviewer = user_with(RoleKey.CONTENT_REVIEWER, "dnd2")
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_correction(claim, user=reviewer, url="http://testserver/y-kien/tin-don/x/")
    assert set(claim.reports.values_list("status", flat=True)) == {Status.ANSWERED}
    html = client.get(f"/y-kien/tin-don/{claim.slug}/").content.decode()
    assert "<script>" not in html.replace('<script type="application/ld+json">', "").replace(
        '<script src="/static/pctt/portal/offline.js" defer></script>', ""
    )
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert raw is not None and "<script>" not in raw.group(1)
    data = json.loads(raw.group(1))
    _validate(data)
    assert data["reviewRating"]["ratingValue"] == 1 and data["claimReviewed"] == claim.wording
    assert "author" not in data["itemReviewed"]  # claims, never people


def _validate(node: dict[str, Any], expected: set[str] | None = None) -> None:
    kind = node["@type"]
    assert kind in PROPERTIES, kind
    if expected:
        assert kind in expected, (kind, expected)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        assert key in PROPERTIES[kind], f"{kind} has no property {key}"
        if isinstance(value, dict):
            _validate(value, RANGES.get(key))


def test_the_public_list_shows_published_corrections_newest_first(
    ward: Any, client: Client
) -> None:
    from pctt.community import demo

    demo.load(ward)
    demo.load(ward)  # idempotent
    assert Claim.objects.count() == 2 and Submission.objects.count() == 6
    html = client.get("/y-kien/tin-don/").content.decode()
    first = html.index("Tin nhắn &quot;tặng data")
    second = html.index("Không có thông báo xả lũ")
    assert first < second
    for claim in Claim.objects.all():
        assert client.get(f"/y-kien/tin-don/{claim.slug}/").status_code == 200
    assert client.get("/y-kien/tin-don/khong-co/").status_code == 404


def test_a_published_correction_becomes_a_warning_draft_for_approval(claim: Claim) -> None:
    from pctt.alerts.models import Alert

    reviewer = user_with(RoleKey.CONTENT_REVIEWER, "dnd2")
    actions.publish_correction(claim, user=reviewer)
    operator = user_with(RoleKey.ALERT_OPERATOR, "op3")
    draft = actions.correction_to_warning_draft(claim, user=operator)
    assert draft.state == Alert.State.DRAFT and draft.sms_vi == claim.short_text
    assert draft.areas.count() == 4


def test_claim_screens_render_and_publish_through_the_back_office(claim: Claim) -> None:
    reviewer = user_with(RoleKey.ADMINISTRATOR, "qt2")
    client = Client()
    client.force_login(reviewer)
    assert (
        "Không có xả lũ khẩn cấp &lt;script&gt;"
        in client.get("/admin/community/claims/").content.decode()
    )
    from django.urls import reverse

    edit = client.get(reverse("community_claim_edit:edit", args=[claim.pk]))
    assert edit.status_code == 200 and "claimReviewed" not in edit.content.decode()
    response = client.post(f"/admin/community/claims/{claim.pk}/", {"verb": "publish"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.is_published
