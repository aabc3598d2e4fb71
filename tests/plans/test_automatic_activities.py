from __future__ import annotations

from typing import Any

import pytest

from pctt.alerts.models import Alert
from pctt.plans import receivers
from pctt.plans.models import Activity
from tests.alerts.factories import issued_flood

pytestmark = pytest.mark.django_db


def test_a_sent_warning_is_recorded_once_as_an_activity_with_its_reach(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = issued_flood(users["soancanhbao"], users["pheduyet"])
    activity = Activity.objects.get(source_key=f"alert:{alert.pk}")
    assert activity.source == "warning" and activity.kind == "warning"
    assert activity.organisation.kind == "peoples_committee"
    assert activity.form is not None and activity.form.code == "F4"
    targeted = set(alert.areas.values_list("pk", flat=True))
    assert targeted <= set(activity.groups.values_list("pk", flat=True))
    assert activity.participants == sum(g.population or 0 for g in activity.groups.all()) > 0
    assert activity.reach_is_estimate
    receivers.record_alert(alert.pk)  # a replayed signal
    alert.save()
    assert Activity.objects.filter(source_key=f"alert:{alert.pk}").count() == 1


def test_test_messages_and_drafts_are_not_activities(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = issued_flood(users["soancanhbao"], users["pheduyet"], status="Test")
    assert alert.state == Alert.State.ISSUED
    assert not Activity.objects.filter(source_key=f"alert:{alert.pk}").exists()
