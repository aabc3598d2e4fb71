"""Editor drafts → organisation reviewer → Party Building Board approval → live; scheduling;
corrections of live pages. Only the workflow's final approval publishes: no role holds
`publish_page` on the library, so nobody but a superuser publishes past the workflow."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import signal
import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import GroupPagePermission, Page, WorkflowState

from pctt.accounts.models import AuditEntry
from pctt.accounts.roles import RoleKey, group_for
from pctt.library.models import QuestionPage, Theme
from pctt.library.permissions import publish_approved_workflow
from pctt.library.search.engine import portal_engine
from pctt.library.setup import ensure_library

ANSWER = "<p>Đặt bẫy, giữ thức ăn trong hộp kín và dọn rác quanh nhà.</p>"
CORRECTED = "<p>Đặt bẫy dính, không rải bả chuột gần giếng nước.</p>"


def _users() -> tuple[Any, Any]:
    users = get_user_model().objects
    return users.get(username="bientap"), users.get(username="duyetnoidung")


def _draft(library: Any, editor: Any, title: str, **fields: Any) -> QuestionPage:
    page = QuestionPage(
        title=title,
        slug="chuot-tran-vao-nha",
        question="Sau lũ chuột tràn vào nhà thì làm sao?",
        answer=ANSWER,
        owner=editor,
        live=False,
        **fields,
    )
    library.add_child(instance=page)
    page.themes.set(Theme.objects.filter(code="C4"))
    page.save_revision(user=editor)
    return page


def _run_workflow(page: Page, editor: Any, reviewer: Any, capture: Any) -> WorkflowState:
    """Submit as the editor, then the reviewer (a Party Building Board member in the demo)
    approves the organisation's step and the Board's step."""
    workflow = page.get_workflow()
    assert workflow is not None
    state = workflow.start(page, editor)
    for _step in ("organisation review", "Party Building Board"):
        state.refresh_from_db()
        task_state = state.current_task_state
        assert task_state is not None
        with capture(execute=True):
            task_state.task.specific.on_action(task_state, reviewer, "approve")
    state.refresh_from_db()
    return state


def _live_answer(page: Page) -> str:
    return str(QuestionPage.objects.get(pk=page.pk).answer)


def test_the_final_approval_is_wagtails_finish_workflow_action() -> None:
    # Without it, Wagtail's default finish action publishes with the approver's publish_page
    # check, and the Board's approval fails with PublishPagePermissionError.
    assert getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", None) == (
        "pctt.library.permissions.publish_approved_workflow"
    )
    assert WorkflowState.on_finish is publish_approved_workflow


@pytest.mark.django_db
def test_page_goes_live_only_after_reviewer_and_party_building_board_approve(
    library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    editor, reviewer = _users()
    outsider = get_user_model().objects.create_user("duyet.khac", password="x")
    outsider.groups.add(group_for(RoleKey.CONTENT_REVIEWER))  # reviewer, not on the Board
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    workflow = page.get_workflow()
    assert workflow is not None
    state = workflow.start(page, editor)
    first = state.current_task_state.task.specific
    assert first.get_actions(page, reviewer) and not first.get_actions(page, editor)
    first.on_action(state.current_task_state, reviewer, "approve")
    page.refresh_from_db()
    assert not page.live  # the organisation's approval alone publishes nothing
    state.refresh_from_db()
    board = state.current_task_state.task.specific
    assert board.get_actions(page, outsider) == []
    assert board.get_actions(page, reviewer)
    assert not page.permissions_for_user(reviewer).can_publish()
    with django_capture_on_commit_callbacks(execute=True):
        board.on_action(state.current_task_state, reviewer, "approve")
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live and state.status == WorkflowState.STATUS_APPROVED
    assert page.live_revision is not None and page.live_revision.user == editor
    assert page.pk in [hit.id for hit in portal_engine().search("chuot tran vao nha")]
    assert AuditEntry.objects.filter(
        action="library.page_published", object_id=str(page.pk)
    ).exists()


@pytest.mark.django_db
def test_editors_and_reviewers_cannot_publish_or_unpublish_directly(library: Any) -> None:
    editor, reviewer = _users()
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    revision = page.get_latest_revision()
    for user in (editor, reviewer):
        assert not page.permissions_for_user(user).can_publish()
        with pytest.raises(PermissionDenied):
            PublishPageRevisionAction(revision, user=user).execute()
    live = library.get_children().live().first()  # a demo page
    assert live is not None
    assert not live.permissions_for_user(reviewer).can_unpublish()
    page.refresh_from_db()
    assert not page.live


@pytest.mark.django_db
def test_the_editor_offers_no_publish_button_and_refuses_a_forged_publish(library: Any) -> None:
    editor, reviewer = _users()
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    client = Client()
    client.force_login(reviewer)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    response = client.get(edit_url)
    assert response.status_code == 200
    assert b'name="action-publish"' not in response.content
    assert b'name="action-submit"' in response.content  # submitting is what reviewers do
    # A hand-made "publish" post saves a draft at most: Wagtail checks can_publish first.
    revisions = page.revisions.count()
    response = client.post(
        edit_url,
        {
            "title": page.title,
            "slug": page.slug,
            "question": page.question,
            "answer": json.dumps(  # Draftail's content state, as the editor posts it
                {
                    "blocks": [
                        {
                            "key": "a1b2c",
                            "text": "Đặt bẫy, giữ thức ăn trong hộp kín.",
                            "type": "unstyled",
                            "depth": 0,
                            "inlineStyleRanges": [],
                            "entityRanges": [],
                        }
                    ],
                    "entityMap": {},
                }
            ),
            "themes": [theme.pk for theme in page.themes.all()],
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302  # accepted as a save, not refused as invalid
    page.refresh_from_db()
    assert page.revisions.count() == revisions + 1
    assert not page.live and page.live_revision is None


@pytest.mark.django_db
def test_a_superuser_still_publishes_directly(library: Any) -> None:
    editor, _reviewer = _users()
    admin = get_user_model().objects.create_superuser("quantri.test", password="x")
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    client = Client()
    client.force_login(admin)
    # The marker the reviewers' test looks for is the real one.
    assert b'name="action-publish"' in client.get(f"/admin/pages/{page.pk}/edit/").content
    PublishPageRevisionAction(page.get_latest_revision(), user=admin).execute()
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_approved_page_with_a_go_live_date_goes_live_by_publish_scheduled(
    library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    editor, reviewer = _users()
    go_live = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ", go_live_at=go_live)
    call_command("publish_scheduled")  # not approved yet: nothing to publish
    page.refresh_from_db()
    assert not page.live
    state = _run_workflow(page, editor, reviewer, django_capture_on_commit_callbacks)
    assert state.status == WorkflowState.STATUS_APPROVED
    page.refresh_from_db()
    revision = page.get_latest_revision()
    assert not page.live  # approved, scheduled: still hidden
    assert revision.approved_go_live_at == go_live
    call_command("publish_scheduled")  # before the hour: still hidden
    page.refresh_from_db()
    assert not page.live
    # The hour passes (the stored times move back instead of the clock moving forward).
    past = timezone.now() - datetime.timedelta(minutes=1)
    Page.objects.filter(pk=page.pk).update(go_live_at=past)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and page.live_revision == revision


@pytest.mark.django_db
def test_the_portal_clock_publishes_a_scheduled_page_without_a_cron_job(
    library: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    # `pctt portal watch` (a child of `pctt run`, the pctt-snapshots unit in production) runs
    # Wagtail's scheduled publishing; here it runs until a SIGTERM stops it.
    settings.PCTT_VAR_DIR = tmp_path
    editor, reviewer = _users()
    past = timezone.now() - datetime.timedelta(minutes=1)
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ", go_live_at=past)
    _run_workflow(page, editor, reviewer, django_capture_on_commit_callbacks)
    page.refresh_from_db()
    revision = page.get_latest_revision()
    if not page.live:  # approval of a past go-live may publish at once; otherwise it waits
        assert revision.approved_go_live_at is not None
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("portal", "watch", "--interval", "0.1", "--publish-every", "0.2")
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])
    page.refresh_from_db()
    assert page.live and page.live_revision == revision


@pytest.mark.django_db
def test_a_correction_of_a_live_page_stays_hidden_until_the_workflow_approves_it(
    library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    editor, reviewer = _users()
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    _run_workflow(page, editor, reviewer, django_capture_on_commit_callbacks)
    page.refresh_from_db()
    assert page.live and _live_answer(page) == ANSWER
    url = page.url
    assert url is not None
    resident = Client()
    assert "hộp kín" in resident.get(url).content.decode()

    # The editor corrects the live page: a new draft; the live version stays up.
    correction = QuestionPage.objects.get(pk=page.pk)
    correction.answer = CORRECTED
    correction.save_revision(user=editor)
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes
    assert _live_answer(page) == ANSWER
    assert not page.permissions_for_user(editor).can_publish()

    workflow = page.get_workflow()
    assert workflow is not None
    state = workflow.start(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    assert _live_answer(page) == ANSWER  # one step approved: still the old text
    assert "hộp kín" in resident.get(url).content.decode()
    state.refresh_from_db()
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert _live_answer(page) == CORRECTED and not page.has_unpublished_changes
    body = resident.get(url).content.decode()
    assert "bả chuột" in body and "hộp kín" not in body


@pytest.mark.django_db
def test_a_rejected_correction_leaves_the_live_page_as_it_was(
    library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    editor, reviewer = _users()
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    _run_workflow(page, editor, reviewer, django_capture_on_commit_callbacks)
    correction = QuestionPage.objects.get(pk=page.pk)
    correction.answer = CORRECTED
    correction.save_revision(user=editor)
    workflow = page.get_workflow()
    assert workflow is not None
    state = workflow.start(page, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert _live_answer(page) == ANSWER


@pytest.mark.django_db
def test_a_stale_publish_grant_is_removed_by_the_migration_and_by_setup(library: Any) -> None:
    reviewers = group_for(RoleKey.CONTENT_REVIEWER)
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")

    def grant() -> None:  # what the library's setup stored before this change
        GroupPagePermission.objects.create(group=reviewers, page=library, permission=publish)

    def granted() -> bool:
        return GroupPagePermission.objects.filter(group=reviewers, permission=publish).exists()

    grant()
    migration = importlib.import_module(
        "pctt.library.migrations.0006_reviewers_publish_only_through_workflow"
    )
    from django.apps import apps

    migration.revoke_publish(apps, None)
    assert not granted()
    grant()
    ensure_library()
    assert not granted()
    # What the roles keep: drafting and editing.
    kept = set(
        GroupPagePermission.objects.filter(group=reviewers, page=library).values_list(
            "permission__codename", flat=True
        )
    )
    assert kept == {"add_page", "change_page"}
