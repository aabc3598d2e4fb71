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


def test_a_library_page_published_for_the_first_time_is_recorded_once_with_itself_as_material(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    from pctt.library.models import QuestionPage
    from pctt.library.setup import ensure_library

    settings.MEDIA_ROOT = tmp_path
    library = ensure_library()
    page = QuestionPage(
        title="Chuẩn bị túi đồ khẩn cấp",
        slug="tui-do-khan-cap",
        question="Túi đồ khẩn cấp gồm những gì?",
        answer="<p>Nước, đèn pin, thuốc, giấy tờ.</p>",
        live=False,
    )
    library.add_child(instance=page)
    # As the workflow's final approval publishes: in the approver's name (no publish_page).
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=users["duyetnoidung"]).publish(
            user=users["duyetnoidung"], skip_permission_checks=True
        )
    activity = Activity.objects.get(source_key=f"page:{page.pk}")
    assert (activity.source, activity.kind) == ("publication", "publication")
    assert activity.organisation.kind == "party_building_board"
    assert activity.form is not None and activity.form.code == "F1"
    assert list(activity.materials.values_list("pk", flat=True)) == [page.pk]
    assert activity.description == "Chuẩn bị túi đồ khẩn cấp" and not activity.reach_is_estimate
    # Publishing a new revision of the same page is not a new activity.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=users["duyetnoidung"]).publish(
            user=users["duyetnoidung"], skip_permission_checks=True
        )
    assert Activity.objects.filter(source="publication").count() == 1


def test_a_page_outside_the_library_is_not_an_activity(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from wagtail.models import Page

    root = Page.get_first_root_node()
    before = Activity.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        child = root.add_child(instance=Page(title="Không phải thư viện", slug="khong-phai"))
        child.save_revision().publish()
    assert Activity.objects.count() == before


def test_a_loudspeaker_programme_counts_households_apart_from_people(
    orgs: dict[str, Any],
) -> None:
    from django.utils import timezone

    from pctt.areas.models import AdminUnit
    from pctt.plans import actions, indicators, queries
    from pctt.plans.periods import period_containing

    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    today = timezone.localdate()
    event = actions.AutomaticActivity(
        source="broadcast",
        source_key=f"loudspeaker:{today:%Y%m%d}:{group.pk}",
        kind="loudspeaker",
        held_on=today,
        organisation_kind="peoples_committee",
        description="Chương trình phát thanh",
        participants=0,
        households=120,
        group_ids=[group.pk],
        form_code="F1",
    )
    plan = Activity.objects.first().plan  # type: ignore[union-attr]
    period = period_containing(today, "month")
    before = indicators.summarise(queries.facts(plan, period))
    activity = actions.record_automatic_activity(event)
    assert activity is not None and activity.households == 120 and activity.source == "broadcast"
    assert activity.form is not None and activity.form.code == "F1"
    assert actions.record_automatic_activity(event) == activity  # once per key
    after = indicators.summarise(queries.facts(plan, period))
    assert after.households_reached == before.households_reached + 120
    assert (after.participants, after.reached_estimate) == (
        before.participants,
        before.reached_estimate,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"source": "manual"},
        {"source": "radio"},
        {"kind": "concert"},
        {"organisation_kind": "police"},
        {"households": -1},
        {"source_key": ""},
        {"source_key": "x" * 101},
    ],
)
def test_an_automatic_activity_with_unknown_codes_is_a_programming_error(
    change: dict[str, Any],
) -> None:
    from datetime import date

    from pctt.plans import actions

    fields: dict[str, Any] = {
        "source": "broadcast",
        "source_key": "loudspeaker:bad",
        "kind": "loudspeaker",
        "held_on": date(2026, 9, 1),
        "organisation_kind": "peoples_committee",
        "description": "x",
        **change,
    }
    with pytest.raises(ValueError, match="automatic activity"):
        actions.record_automatic_activity(actions.AutomaticActivity(**fields))
    assert not Activity.objects.filter(source_key=fields["source_key"]).exists()
