"""Triage: due times, urgency, grouping, bulk actions, answers closing a group, hand-overs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from pctt.accounts.models import AuditEntry, Membership
from pctt.accounts.roles import RoleKey
from pctt.community import actions
from pctt.community.models import Status, Submission
from pctt.plans.models import Organisation
from tests.community.conftest import user_with

pytestmark = pytest.mark.django_db


def _receive(text: str, kind: str = "question", **fields: Any) -> Submission:
    return actions.receive(actions.Intake(kind=kind, source="portal", text=text, **fields))


def test_due_times_follow_kind_and_a_hazard_during_an_active_warning_is_urgent(
    ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = _receive("Điểm sơ tán ở đâu?")
    assert question.due_at - question.received_at == timedelta(days=2)
    calm = _receive("Nứt kè sông đoạn bến đò", kind="hazard")
    assert not calm.urgent and calm.due_at - calm.received_at == timedelta(hours=4)
    monkeypatch.setattr(actions, "_warning_active", lambda: True)
    urgent = _receive("Sạt lở taluy đường lên đồi", kind="hazard")
    assert urgent.urgent and urgent.due_at - urgent.received_at == timedelta(hours=1)


def test_similar_submissions_are_grouped_and_one_answer_closes_the_group(
    ward: Any, triage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = _receive(
        "Bao giờ có điện trở lại ở tổ 2?",
        answer_channel="email",
        contact="a@example.org",
        consent=True,
    )
    second = _receive("bao gio co dien tro lai o to 2")
    other = _receive("Điểm sơ tán của tổ 4 ở đâu?")
    assert second.group_leader == first and other.group_leader is None
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.answer(second, "Điện sẽ có lại trước 18h.", user=triage) == 2
    first.refresh_from_db()
    assert first.status == Status.ANSWERED and first.answer_sent_at is None  # no e-mail provider
    assert first.answer_error
    assert Submission.objects.get(pk=other.pk).status == Status.NEW


def test_only_triage_officers_triage(ward: Any) -> None:
    submission = _receive("Câu hỏi")
    viewer = user_with(RoleKey.VIEWER, "captren2")
    with pytest.raises(PermissionDenied):
        actions.answer(submission, "x", user=viewer)
    with pytest.raises(PermissionDenied):
        actions.receive(actions.Intake(kind="question", source="phone_call", text="x"))


def test_bulk_actions_handle_hundreds_of_rows_in_one_request(
    ward: Any, triage: Any, triage_client: Client
) -> None:
    texts = [
        "Điểm sơ tán tổ 3 ở đâu?",
        "Xin hỗ trợ gạo cho hộ nghèo",
        "Cống ngõ 12 bị tắc",
        "Bao giờ phát loa cảnh báo?",
        "Trường học có nghỉ khi bão không?",
    ]
    rows = [_receive(text) for text in texts]
    spam = [
        Submission.objects.create(
            kind="concern", source="portal", text=f"quảng cáo {i}", due_at=timezone.now()
        )
        for i in range(300)
    ]
    org = Organisation.objects.get(kind="womens_union")
    # The officer keeps what they assign to their own organisation in their queue.
    Membership.objects.create(user=triage, organisation=org)
    ids = [s.pk for s in rows]
    response = triage_client.post(
        "/admin/community/", {"ids": ids, "action": "assign", "organisation": org.pk}
    )
    assert response.status_code == 302
    assert set(
        Submission.objects.filter(pk__in=ids).values_list("assigned_organisation", flat=True)
    ) == {org.pk}
    triage_client.post(
        "/admin/community/", {"ids": [s.pk for s in spam], "action": "status", "status": "rejected"}
    )
    assert Submission.objects.filter(status="rejected").count() == 300
    triage_client.post(
        "/admin/community/", {"ids": ids[:2], "action": "answer", "answer": "Đã trả lời."}
    )
    assert Submission.objects.filter(status="answered").count() == 2
    triage_client.post("/admin/community/", {"ids": ids[2:], "action": "merge"})
    assert Submission.objects.get(pk=ids[3]).group_leader_id == ids[2]
    triage_client.post("/admin/community/", {"ids": ["x", "1; DROP"], "action": "status"})
    html = triage_client.get("/admin/community/?status=all&kind=question").content.decode()
    assert rows[2].reference in html


def test_the_queue_lists_leaders_with_their_group_size_and_overdue_rows(
    ward: Any, triage_client: Client
) -> None:
    first = _receive("Cống ngõ 12 bị tắc", kind="concern")
    _receive("cong ngo 12 bi tac", kind="concern")
    Submission.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(hours=1))
    html = triage_client.get("/admin/community/").content.decode()
    assert first.reference in html and "+1" in html and ("overdue" in html or "quá hạn" in html)


def test_an_official_records_a_phone_call(ward: Any, triage_client: Client) -> None:
    group = ward.children.first()
    response = triage_client.post(
        "/admin/community/new/",
        {
            "source": "phone_call",
            "kind": "concern",
            "theme": "relief",
            "text": "Xin hỗ trợ gạo",
            "residential_group": group.pk,
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302 and submission.source == "phone_call"
    assert submission.theme == "relief" and submission.contact == ""


def test_a_hazard_report_becomes_a_warning_draft_in_one_click(ward: Any) -> None:
    from pctt.alerts.models import Alert

    operator = user_with(RoleKey.ALERT_OPERATOR, "op2")
    client = Client()
    client.force_login(operator)
    report = _receive(
        "Nứt kè sông dài 3 m", kind="hazard", residential_group_id=ward.children.first().pk
    )
    response = client.post(f"/admin/community/{report.pk}/", {"verb": "warning"})
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/warnings/{alert.pk}/")
    assert alert.state == "draft" and alert.description_vi == "Nứt kè sông dài 3 m"
    assert list(alert.areas.all()) == [ward.children.first()]
    client.post(f"/admin/community/{report.pk}/", {"verb": "warning"})
    assert Alert.objects.count() == 1  # a second click does not make a second draft


def test_a_good_question_goes_to_the_library_or_waits_for_it(
    ward: Any, triage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    question = _receive("Nên chuẩn bị gì trong túi khẩn cấp?")
    actions.answer(question, "Nước, đèn pin, thuốc, giấy tờ.", user=triage)
    question.refresh_from_db()
    monkeypatch.setitem(sys.modules, "pctt.library.handover", None)  # not provided
    assert actions.propose_for_qa(question, user=triage) is None
    assert Submission.objects.get(pk=question.pk).qa_proposed_at is not None
    made: list[dict[str, Any]] = []
    fake = types.ModuleType("pctt.library.handover")
    fake.create_qa_draft = lambda **kw: made.append(kw) or types.SimpleNamespace(pk=77)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pctt.library.handover", fake)
    assert actions.propose_for_qa(question, user=triage) == 77
    assert made[0]["question"] == question.text and made[0]["answer"].startswith("Nước")


def test_contacts_are_erased_at_the_retention_limit_and_never_audited(ward: Any) -> None:
    kept = _receive("Hỏi A", answer_channel="sms", contact="0912345678", consent=True)
    old = _receive("Hỏi B khác hẳn", answer_channel="sms", contact="0987654321", consent=True)
    Submission.objects.filter(pk=old.pk).update(
        contact_erase_after=timezone.now() - timedelta(seconds=1)
    )
    assert actions.purge_expired_contacts() == 1
    assert Submission.objects.get(pk=old.pk).contact == ""
    assert Submission.objects.get(pk=kept.pk).contact == "+84912345678"
    audit = " ".join(str(e.data) for e in AuditEntry.objects.all())
    assert "912345678" not in audit and "987654321" not in audit and "Hỏi A" not in audit


def test_no_field_profiles_people() -> None:
    """Claims, never people: the models have no field for who spread or said something."""
    from pctt.community.models import Claim, ClaimVariant, Evidence

    forbidden = (
        "author",
        "spreader",
        "source_person",
        "ip",
        "address",
        "user_agent",
        "name",
        "phone",
        "email",
        "device",
    )
    for model in (Submission, Claim, ClaimVariant, Evidence):
        names = {f.name for f in model._meta.get_fields()}
        assert not [n for n in names if any(n == w or n.startswith(w + "_") for w in forbidden)], (
            model
        )


def test_a_good_question_becomes_a_real_library_draft_in_the_workflow(
    ward: Any, triage: Any
) -> None:
    from pctt.library.models import QuestionPage

    question = _receive("Túi khẩn cấp <b>cần</b> những gì?")
    actions.answer(question, "Nước uống, đèn pin <script>x</script>, thuốc.", user=triage)
    question.refresh_from_db()
    page_id = actions.propose_for_qa(question, user=triage)

    page = QuestionPage.objects.get(pk=page_id)
    assert not page.live and page.latest_revision is not None
    assert page.question == question.text
    assert "<script>" not in page.answer and "&lt;script&gt;" in page.answer
