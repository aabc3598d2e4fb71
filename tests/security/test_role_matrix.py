"""Every role × every state-changing action, allowed or refused, in the actions layer (and
through the back office for the screens that are the only way in).

The table `EXPECTED` is the rule: which roles may do each action. A refusal is
`PermissionDenied`; "allowed" means the action ran (inside a savepoint rolled back at once).
Object-level rules follow: a focal point records only for their own organisation, a triage
officer or focal point works only on submissions in their queue, viewers only read.

Users here hold their role's group and no superuser flag, so the groups' permissions are what
is tested (the demo's administrator is also a superuser, which grants everything).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from pctt.accounts.models import Membership
from pctt.accounts.roles import RoleKey, group_for
from pctt.areas.models import AdminUnit
from pctt.plans.models import Organisation

R = RoleKey
ALL = frozenset(RoleKey)
ORG_OF = {
    R.ALERT_OPERATOR: Organisation.Kind.PEOPLES_COMMITTEE,
    R.ALERT_APPROVER: Organisation.Kind.PEOPLES_COMMITTEE,
    R.EDITOR: Organisation.Kind.PARTY_BUILDING_BOARD,
    R.CONTENT_REVIEWER: Organisation.Kind.PARTY_BUILDING_BOARD,
    R.FOCAL_POINT: Organisation.Kind.WOMENS_UNION,
    R.TRIAGE_OFFICER: Organisation.Kind.FATHERLAND_FRONT,
}


@pytest.fixture(scope="module")
def module_ward(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AdminUnit]:
    """The demo ward, its plan and library, and one user per role: loaded once per module in
    a transaction rolled back at the end; each test runs in a savepoint within it."""
    from pctt.demo.load import WARD_CODE, load_demo
    from pctt.library.setup import ensure_library
    from pctt.plans import demo as plans_demo

    var = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var, MEDIA_ROOT=var / "media"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo(full_reference=False, app_content=False)
            ward = AdminUnit.objects.get(code=WARD_CODE)
            plans_demo.load(ward)
            ensure_library()
            for role in RoleKey:
                user = get_user_model().objects.create_user(f"matrix-{role.value}", password="x")
                user.groups.add(group_for(role))
                if role in ORG_OF:
                    org = Organisation.objects.filter(kind=ORG_OF[role]).first()
                    Membership.objects.create(user=user, organisation=org)
            yield ward
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def ward(module_ward: AdminUnit, db: None) -> AdminUnit:
    return module_ward


def user_of(role: RoleKey) -> Any:
    return get_user_model().objects.get(username=f"matrix-{role.value}")


class _Rollback(Exception):
    pass


def allowed(action: Callable[[Any], object], user: Any, *, past_check_ok: bool = False) -> bool:
    """Run *action* as *user* in a savepoint that is always rolled back. True when it ran;
    False when refused. With *past_check_ok*, a domain error (ValidationError) raised after
    the permission check also counts as allowed: the action's own data rules said no."""
    try:
        with transaction.atomic():
            action(user)
            raise _Rollback
    except _Rollback:
        return True
    except PermissionDenied:
        return False
    except (ValidationError, ValueError):
        if past_check_ok:
            return True
        raise


def matrix(action: Callable[[Any], object], *, past_check_ok: bool = False) -> set[RoleKey]:
    return {r for r in RoleKey if allowed(action, user_of(r), past_check_ok=past_check_ok)}


# -- warnings ----------------------------------------------------------------------------


@dataclass
class Warnings:
    draft: Any
    submitted: Any
    issued: Any


@pytest.fixture
def warnings(ward: AdminUnit) -> Warnings:
    from tests.alerts.factories import flood_draft, issued_flood

    author = user_of(R.ALERT_OPERATOR)
    other = get_user_model().objects.create_user("matrix-author2")
    other.groups.add(group_for(R.ALERT_OPERATOR))
    draft = flood_draft(other)
    submitted = flood_draft(other)
    from pctt.alerts import actions

    actions.submit(submitted, user=other)
    issued = issued_flood(other, user_of(R.ALERT_APPROVER))
    assert author != other
    return Warnings(draft, submitted, issued)


def test_drafting_a_warning(warnings: Warnings) -> None:
    from pctt.alerts import actions
    from pctt.alerts.models import WarningTemplate
    from tests.alerts.factories import FLOOD_VALUES

    template = WarningTemplate.objects.get(key="lu-bao-dong-2")
    groups = list(AdminUnit.objects.groups().values_list("pk", flat=True)[:1])
    assert matrix(
        lambda u: actions.create_draft(
            user=u, template=template, values=FLOOD_VALUES, area_ids=groups
        )
    ) == {R.ADMINISTRATOR, R.ALERT_OPERATOR}
    assert matrix(lambda u: actions.edit_draft(warnings.draft, user=u, note="sửa")) == {
        R.ADMINISTRATOR,
        R.ALERT_OPERATOR,
    }
    assert matrix(lambda u: actions.submit(warnings.draft, user=u)) == {
        R.ADMINISTRATOR,
        R.ALERT_OPERATOR,
    }


def test_approving_and_rejecting_a_warning(warnings: Warnings) -> None:
    from pctt.alerts import actions

    assert matrix(lambda u: actions.approve(warnings.submitted, user=u)) == {R.ALERT_APPROVER}
    assert matrix(lambda u: actions.reject(warnings.submitted, user=u, reason="x")) == {
        R.ALERT_APPROVER
    }


def test_updating_and_cancelling_an_issued_warning(warnings: Warnings) -> None:
    from pctt.alerts import actions

    for start in (actions.start_cancel, actions.start_update):
        assert matrix(lambda u, start=start: start(warnings.issued, user=u)) == {
            R.ADMINISTRATOR,
            R.ALERT_OPERATOR,
        }


def test_the_approve_screen_refuses_everyone_but_approvers(warnings: Warnings) -> None:
    from pctt.alerts.models import Alert

    for role in RoleKey:
        client = Client()
        client.force_login(user_of(role))
        with transaction.atomic():
            client.post(f"/admin/warnings/{warnings.submitted.pk}/approve/")
            state = Alert.objects.get(pk=warnings.submitted.pk).state
            transaction.set_rollback(True)
        assert (state == Alert.State.ISSUED) is (role == R.ALERT_APPROVER), role


# -- areas and hazards -------------------------------------------------------------------


def test_importing_areas(ward: AdminUnit) -> None:
    from pctt.areas.actions import AreaImportError, import_areas

    body = b'{"type": "FeatureCollection", "features": []}'

    def attempt(user: Any) -> None:
        # Past the permission check the empty file is refused on its own merits.
        with contextlib.suppress(AreaImportError):
            import_areas(body, user=user)

    assert matrix(attempt) == {R.ADMINISTRATOR}


def test_hazard_thresholds_tokens_and_risk_levels(ward: AdminUnit) -> None:
    from pctt.hazards import actions
    from pctt.hazards.models import Station

    station = Station.objects.first()
    assert station is not None
    assert matrix(
        lambda u: actions.set_thresholds(
            station, user=u, bd1=1.0, bd2=2.0, bd3=3.0, source_document="QĐ thử"
        )
    ) == {R.ADMINISTRATOR}
    assert matrix(lambda u: actions.issue_token(station, user=u)) == {R.ADMINISTRATOR}
    assert matrix(
        lambda u: actions.record_risk_level(
            user=u, hazard="flood", area=ward, bulletin_level=2, source="Bản tin thử"
        ),
        past_check_ok=True,
    ) == {R.ADMINISTRATOR, R.ALERT_OPERATOR, R.ALERT_APPROVER}


# -- residents' voice --------------------------------------------------------------------


_TEXTS = iter(
    [
        "Cầu tràn thôn Bản Mù bị ngập, xe máy có đi qua được không?",
        "Loa phường tổ 3 không nghe rõ, đề nghị sửa.",
        "Nhà văn hoá tổ 7 có mở làm nơi tránh trú tối nay không?",
        "Có người nói đập thuỷ điện sắp vỡ, có đúng không?",
        "Cây đổ chắn đường lên trường tiểu học, cần dọn gấp.",
        "Xin hỏi lịch diễn tập sơ tán của khu dân cư số 2.",
        "Rãnh thoát nước cạnh chợ bị tắc, mưa là tràn vào nhà.",
        "Người già neo đơn ở tổ 9 cần giúp di dời khi có lũ.",
    ]
)


def _submission(kind: str = "question", **assigned: Any) -> Any:
    """A new submission with its own wording (similar ones would be grouped together)."""
    from pctt.community import actions
    from pctt.community.models import Submission

    made = actions.receive(actions.Intake(kind=kind, source="portal", text=next(_TEXTS)))
    assert made.group_leader_id is None
    if assigned:
        Submission.objects.filter(pk=made.pk).update(**assigned)
        made.refresh_from_db()
    return made


def test_triage_of_a_new_unassigned_submission(ward: AdminUnit) -> None:
    from pctt.community import actions

    new = _submission()
    triage = {R.ADMINISTRATOR, R.TRIAGE_OFFICER}
    assert matrix(lambda u: actions.set_status([new], "in_progress", user=u)) == triage
    assert matrix(lambda u: actions.assign([new], user=u, organisation_id=None)) == triage
    assert matrix(lambda u: actions.answer(new, "Trả lời thử.", user=u)) == triage


def test_a_focal_point_works_only_on_submissions_assigned_to_their_organisation(
    ward: AdminUnit,
) -> None:
    from pctt.community import actions

    womens = Organisation.objects.get(kind=Organisation.Kind.WOMENS_UNION)
    front = Organisation.objects.get(kind=Organisation.Kind.FATHERLAND_FRONT)
    ours = _submission(assigned_organisation=womens, status="in_progress")
    theirs = _submission(assigned_organisation=front, status="in_progress")
    # Once assigned to the Women's Union it is theirs: the Front's triage officer no longer
    # works on it, and the Women's Union's focal point cannot touch the Front's.
    assert matrix(lambda u: actions.answer(ours, "Đã xử lý.", user=u)) == {
        R.ADMINISTRATOR,
        R.FOCAL_POINT,
    }
    assert matrix(lambda u: actions.answer(theirs, "Đã xử lý.", user=u)) == {
        R.ADMINISTRATOR,
        R.TRIAGE_OFFICER,
    }


def test_a_triage_officer_sees_only_their_queue(ward: AdminUnit) -> None:
    from pctt.community import actions

    womens = Organisation.objects.get(kind=Organisation.Kind.WOMENS_UNION)
    front = Organisation.objects.get(kind=Organisation.Kind.FATHERLAND_FRONT)
    new = _submission()
    to_front = _submission(assigned_organisation=front, status="in_progress")
    to_womens = _submission(assigned_organisation=womens, status="in_progress")
    seen = set(actions.visible_submissions(user_of(R.TRIAGE_OFFICER)).values_list("pk", flat=True))
    assert {new.pk, to_front.pk} <= seen and to_womens.pk not in seen
    focal = set(actions.visible_submissions(user_of(R.FOCAL_POINT)).values_list("pk", flat=True))
    assert to_womens.pk in focal and not {new.pk, to_front.pk} & focal
    assert not actions.visible_submissions(user_of(R.VIEWER)).exists()
    client = Client()
    client.force_login(user_of(R.TRIAGE_OFFICER))
    assert client.get(f"/admin/community/{to_womens.pk}/").status_code in (302, 403, 404)


def test_claims_and_corrections(ward: AdminUnit) -> None:
    from pctt.community import actions
    from pctt.community.models import Claim

    rumour = _submission(kind="claim")
    assert matrix(lambda u: actions.claim_from_reports([rumour], user=u)) == {
        R.ADMINISTRATOR,
        R.TRIAGE_OFFICER,
        R.EDITOR,
        R.CONTENT_REVIEWER,
    }
    claim = actions.claim_from_reports([rumour], user=user_of(R.ADMINISTRATOR))
    assert isinstance(claim, Claim)
    assert matrix(lambda u: actions.publish_correction(claim, user=u), past_check_ok=True) == {
        R.ADMINISTRATOR,
        R.CONTENT_REVIEWER,
    }


# -- plans -------------------------------------------------------------------------------


def _activity_input() -> Any:
    from pctt.plans.actions import ActivityInput

    return ActivityInput(
        kind="meeting", held_on=timezone.localdate() - timedelta(days=1), participants=12
    )


def test_recording_activities_for_ones_own_organisation_only(ward: AdminUnit) -> None:
    from pctt.plans import actions

    womens = Organisation.objects.get(kind=Organisation.Kind.WOMENS_UNION)
    front = Organisation.objects.get(kind=Organisation.Kind.FATHERLAND_FRONT)
    assert matrix(
        lambda u: actions.record_activity(user=u, organisation=womens, data=_activity_input())
    ) == {R.ADMINISTRATOR, R.FOCAL_POINT}
    assert matrix(
        lambda u: actions.record_activity(user=u, organisation=front, data=_activity_input())
    ) == {R.ADMINISTRATOR}
    assert [o.kind for o in actions.organisations_of(user_of(R.FOCAL_POINT))] == [
        Organisation.Kind.WOMENS_UNION
    ]
    assert actions.organisations_of(user_of(R.VIEWER)) == []


def test_editing_and_deleting_activities_of_ones_own_organisation_only(ward: AdminUnit) -> None:
    from pctt.plans import actions
    from pctt.plans.models import Activity

    admin = user_of(R.ADMINISTRATOR)
    for kind, expected in (
        (Organisation.Kind.WOMENS_UNION, {R.ADMINISTRATOR, R.FOCAL_POINT}),
        (Organisation.Kind.FATHERLAND_FRONT, {R.ADMINISTRATOR}),
    ):
        org = Organisation.objects.get(kind=kind)
        activity, _ = actions.record_activity(user=admin, organisation=org, data=_activity_input())
        edited = _activity_input()
        edited.participants = 30
        assert (
            matrix(
                lambda u, a=activity, d=edited: actions.edit_activity(user=u, activity=a, data=d)
            )
            == expected
        )
        assert (
            matrix(
                lambda u, pk=activity.pk: actions.delete_activity(
                    user=u, activity=Activity.objects.get(pk=pk)
                )
            )
            == expected
        )


# -- library -----------------------------------------------------------------------------


def test_publishing_a_library_page(ward: AdminUnit) -> None:
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    from pctt.library.models.pages import ArticlePage
    from pctt.library.setup import ensure_library

    index = ensure_library()
    page = ArticlePage(title="Sơ tán an toàn", slug="so-tan-matrix", body="<p>Đi sớm.</p>")
    page.live = False
    index.add_child(instance=page)
    revision = page.save_revision()
    # No role publishes directly: a page goes live through the editorial workflow's final
    # approval (tests/library/test_workflow.py); only superusers publish past it.
    assert matrix(lambda u: PublishPageRevisionAction(revision, user=u).execute()) == set()


# -- back-office screens that are the only way in ----------------------------------------

SCREENS: dict[str, set[RoleKey]] = {
    # Subscribers' numbers and addresses: administrators only.
    "/admin/subscriber/": {R.ADMINISTRATOR},
    "/admin/subscriber/new/": {R.ADMINISTRATOR},
    # User administration.
    "/admin/users/": {R.ADMINISTRATOR},
    # Wagtail's "add a user" screen (/admin/users/add/ does not exist: a 404 for everyone).
    "/admin/users/new/": {R.ADMINISTRATOR},
    "/admin/audit/": {R.ADMINISTRATOR},
    "/admin/warnings/new/": {R.ADMINISTRATOR, R.ALERT_OPERATOR},
}


@pytest.mark.parametrize("path", SCREENS)
def test_back_office_screens(path: str, ward: AdminUnit) -> None:
    opened = set()
    for role in RoleKey:
        client = Client()
        client.force_login(user_of(role))
        if client.get(path).status_code == 200:
            opened.add(role)
    assert opened == SCREENS[path]


def test_viewers_read_but_change_nothing(warnings: Warnings) -> None:
    client = Client()
    client.force_login(user_of(R.VIEWER))
    for path in ("/admin/warnings/", f"/admin/warnings/{warnings.issued.pk}/"):
        assert client.get(path).status_code == 200, path
    from pctt.alerts.models import Alert

    before = Alert.objects.count()
    for verb in ("submit", "approve", "reject", "update", "cancel"):
        client.post(f"/admin/warnings/{warnings.submitted.pk}/{verb}/")
        client.post(f"/admin/warnings/{warnings.issued.pk}/{verb}/")
    assert Alert.objects.count() == before
    assert Alert.objects.get(pk=warnings.submitted.pk).state == Alert.State.SUBMITTED
