from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.areas.models import AdminUnit
from pctt.plans import actions
from pctt.plans.models import Activity, Organisation

pytestmark = pytest.mark.django_db


def _entry(**fields: Any) -> actions.ActivityInput:
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    values: dict[str, Any] = {
        "kind": "meeting",
        "held_on": timezone.localdate(),
        "group_ids": [group.pk],
        "theme_codes": ["C4"],
        "participants": 30,
        "women": 30,
    }
    values.update(fields)
    return actions.ActivityInput(**values)


def test_a_focal_point_records_an_activity_for_their_organisation_with_an_audit_entry(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity, created = actions.record_activity(
        user=users["daumoi.phunu"], organisation=orgs["womens_union"], data=_entry()
    )
    assert created
    assert activity.form is not None and activity.form.code == "F2"  # a meeting is form F2
    assert [t.code for t in activity.themes.all()] == ["C4"]
    audit = AuditEntry.objects.get(action="pctt.plans.record_activity", object_id=str(activity.pk))
    assert audit.actor_label == "daumoi.phunu"


def test_a_focal_point_cannot_record_for_another_organisation(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    before = Activity.objects.count()
    with pytest.raises(PermissionDenied):
        actions.record_activity(
            user=users["daumoi.phunu"], organisation=orgs["youth_union"], data=_entry()
        )
    assert Activity.objects.count() == before


@pytest.mark.parametrize("username", ["captren", "soancanhbao"])
def test_viewers_and_other_roles_cannot_record(
    users: dict[str, Any], orgs: dict[str, Organisation], username: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_activity(
            user=users[username], organisation=orgs["womens_union"], data=_entry()
        )
    assert actions.organisations_of(users[username]) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"women": 31}, "women"),
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "held_on"),
        ({"held_on": timezone.localdate() - timedelta(days=800)}, "held_on"),
        ({"theme_codes": ["C9"]}, "themes"),
        ({"form_code": "F9"}, "form"),
        ({"group_ids": [999_999]}, "groups"),
        ({"kind": "party"}, "kind"),
        ({"participants": -1, "women": 0}, "participants"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(
    users: dict[str, Any], orgs: dict[str, Organisation], fields: dict[str, Any], field: str
) -> None:
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.record_activity(
            user=users["daumoi.phunu"], organisation=orgs["womens_union"], data=_entry(**fields)
        )
    assert field in error.value.message_dict
    assert Activity.objects.count() == before


def test_an_entry_replayed_with_the_same_client_id_is_recorded_once(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    client_id = uuid.uuid4()
    first, created = actions.record_activity(
        user=users["daumoi.phunu"],
        organisation=orgs["womens_union"],
        data=_entry(client_id=client_id),
    )
    again, created_again = actions.record_activity(
        user=users["daumoi.phunu"],
        organisation=orgs["womens_union"],
        data=_entry(client_id=client_id),
    )
    assert created and not created_again and again.pk == first.pk
    assert Activity.objects.filter(client_id=client_id).count() == 1


def test_system_activities_cannot_be_deleted_and_a_focal_point_deletes_only_their_own(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    other = Activity.objects.filter(organisation=orgs["youth_union"]).first()
    assert other is not None
    with pytest.raises(PermissionDenied):
        actions.delete_activity(user=users["daumoi.phunu"], activity=other)
    mine, _ = actions.record_activity(
        user=users["daumoi.phunu"], organisation=orgs["womens_union"], data=_entry()
    )
    actions.delete_activity(user=users["daumoi.phunu"], activity=mine)
    assert not Activity.objects.filter(pk=mine.pk).exists()
