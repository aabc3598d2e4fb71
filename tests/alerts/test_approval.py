from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from pctt import cap
from pctt.accounts.models import AuditEntry
from pctt.accounts.roles import RoleKey
from pctt.alerts import actions
from pctt.alerts.models import Alert
from pctt.dispatch.models import Broadcast
from tests.alerts.factories import flood_draft, issued_flood, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(demo_ward: object) -> object:
    return user_with(RoleKey.ALERT_OPERATOR, "op")


@pytest.fixture
def approver(demo_ward: object) -> object:
    return user_with(RoleKey.ALERT_APPROVER, "ap")


def test_a_template_fills_every_text_of_the_draft(operator: object) -> None:
    draft = flood_draft(operator)
    assert draft.state == Alert.State.DRAFT
    assert "Bến Sông" in draft.headline_vi and "12,4" in draft.sms_vi
    assert "{" not in draft.instruction_vi
    assert draft.areas.count() == 2


def test_an_unfilled_placeholder_stops_submission(operator: object) -> None:
    draft = flood_draft(operator)
    actions.edit_draft(draft, user=operator, headline_vi="Lũ tại {station}")
    with pytest.raises(ValidationError, match="ngoặc nhọn"):
        actions.submit(draft, user=operator)


def test_the_author_cannot_approve_their_own_warning(demo_ward: object) -> None:
    both = user_with(RoleKey.ALERT_APPROVER, "both")
    both.groups.add(*user_with(RoleKey.ALERT_OPERATOR, "tmp").groups.all())
    draft = flood_draft(both)
    actions.submit(draft, user=both)
    with pytest.raises(actions.ApprovalError):
        actions.approve(draft, user=both)
    draft.refresh_from_db()
    assert draft.state == Alert.State.SUBMITTED and draft.sent is None
    assert not Broadcast.objects.exists()


def test_an_operator_without_the_approver_role_cannot_approve(operator: object) -> None:
    other = user_with(RoleKey.ALERT_OPERATOR, "op2")
    draft = flood_draft(operator)
    actions.submit(draft, user=operator)
    with pytest.raises(PermissionDenied):
        actions.approve(draft, user=other)


def test_a_viewer_cannot_draft(demo_ward: object) -> None:
    with pytest.raises(PermissionDenied):
        flood_draft(user_with(RoleKey.VIEWER, "viewer"))


def test_approval_by_a_second_person_issues_valid_cap_and_queues_the_broadcast(
    operator: object, approver: object
) -> None:
    alert = issued_flood(operator, approver)

    assert alert.state == Alert.State.ISSUED and alert.sent is not None
    report = cap.validate(alert.cap_xml.encode())
    assert report.valid, report.errors
    parsed = report.alerts[0]
    assert (parsed.identifier, parsed.status, parsed.msg_type) == (
        alert.identifier,
        "Actual",
        "Alert",
    )
    assert parsed.infos[0].language == "vi-VN" and len(parsed.infos[0].areas) == 2
    broadcast = Broadcast.objects.get()
    assert broadcast.reference == alert.dispatch_reference and broadcast.status == "actual"
    actions_logged = list(
        AuditEntry.objects.filter(object_id=str(alert.pk)).values_list("action", flat=True)
    )
    assert {"pctt.alerts.draft", "pctt.alerts.submit", "pctt.alerts.issue"} <= set(actions_logged)
    issued_entry = AuditEntry.objects.get(action="pctt.alerts.issue")
    assert issued_entry.data["headline_vi"] == alert.headline_vi


def test_an_exercise_is_labelled_in_cap_sms_email_and_loudspeaker(
    operator: object, approver: object
) -> None:
    alert = issued_flood(operator, approver, status="Exercise")
    content = Broadcast.objects.get().content

    parsed = cap.parse(alert.cap_xml.encode()).alerts[0]
    assert parsed.status == "Exercise"
    assert parsed.infos[0].headline.startswith("[DIỄN TẬP]")
    assert content["sms"]["vi"].startswith("[DIỄN TẬP]")
    assert content["sms"]["vi_ascii"].startswith("[DIEN TAP]")
    assert content["email"]["vi"]["subject"].startswith("[DIỄN TẬP]")
    assert "không phải cảnh báo thật" in content["mqtt"]["vi"]["script"]


def test_update_supersedes_and_cancel_withdraws(operator: object, approver: object) -> None:
    first = issued_flood(operator, approver)
    update = actions.start_update(first, user=operator)
    actions.edit_draft(update, user=operator, headline_vi="Lũ đã lên báo động III")
    actions.submit(update, user=operator)
    actions.approve(update, user=approver)

    assert list(Alert.objects.active()) == [update]
    cap_update = cap.parse(Alert.objects.get(pk=update.pk).cap_xml.encode()).alerts[0]
    assert cap_update.msg_type == "Update" and first.identifier in (cap_update.references or "")

    cancel = actions.start_cancel(update, user=operator)
    actions.submit(cancel, user=operator)
    actions.approve(cancel, user=approver)
    assert list(Alert.objects.active()) == []
    assert cap.validate(Alert.objects.get(pk=cancel.pk).cap_xml.encode()).valid


def test_an_issued_warning_cannot_be_updated_twice(operator: object, approver: object) -> None:
    first = issued_flood(operator, approver)
    one = actions.start_update(first, user=operator)
    two = actions.start_update(first, user=operator)
    actions.submit(one, user=operator)
    actions.approve(one, user=approver)
    actions.submit(two, user=operator)
    with pytest.raises(ValidationError):
        actions.approve(two, user=approver)


def test_expired_warnings_leave_the_active_list_by_themselves(
    operator: object, approver: object
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    alert = issued_flood(operator, approver)
    assert list(Alert.objects.active()) == [alert]
    assert list(Alert.objects.active(now=alert.expires + timedelta(seconds=1))) == []
    assert alert.expires > timezone.now()


def test_rejection_returns_the_draft_to_its_author(operator: object, approver: object) -> None:
    draft = flood_draft(operator)
    actions.submit(draft, user=operator)
    actions.reject(draft, user=approver, reason="Sai số liệu")
    draft.refresh_from_db()
    assert draft.state == Alert.State.REJECTED
    actions.edit_draft(draft, user=operator, headline_vi="Đã sửa")
    assert Alert.objects.get(pk=draft.pk).state == Alert.State.DRAFT


def test_cap_xml_carries_polygons_of_the_targeted_groups(
    operator: object, approver: object
) -> None:
    alert = issued_flood(operator, approver)
    tree = etree.fromstring(alert.cap_xml.encode())
    info = tree.find("{urn:oasis:names:tc:emergency:cap:1.2}info")
    polygons = info.findall(".//{urn:oasis:names:tc:emergency:cap:1.2}polygon")
    assert len(polygons) == 2
    first_point, *_rest, last_point = polygons[0].text.split()
    assert first_point == last_point


def test_a_system_proposal_needs_a_submitter_and_a_different_approver(
    operator: object, approver: object
) -> None:
    from pctt.alerts.models import WarningTemplate
    from pctt.areas.models import AdminUnit
    from tests.alerts.factories import FLOOD_VALUES

    draft = actions.create_draft(
        user=None,
        template=WarningTemplate.objects.get(key="lu-bao-dong-3"),
        values=FLOOD_VALUES,
        area_ids=[AdminUnit.objects.groups().first().pk],
    )
    assert draft.author is None
    both = user_with(RoleKey.ALERT_APPROVER, "both")
    both.groups.add(*operator.groups.all())
    actions.submit(draft, user=both)
    with pytest.raises(actions.ApprovalError):
        actions.approve(draft, user=both)
    assert actions.approve(draft, user=approver).state == Alert.State.ISSUED
