"""Editor drafts → organisation reviewer → Party Building Board approval → live; scheduling."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from pctt.accounts.models import AuditEntry
from pctt.accounts.roles import RoleKey, group_for
from pctt.library.models import QuestionPage, Theme
from pctt.library.search.engine import portal_engine


def _draft(library: Any, editor: Any, title: str) -> QuestionPage:
    page = QuestionPage(
        title=title,
        slug="chuot-tran-vao-nha",
        question="Sau lũ chuột tràn vào nhà thì làm sao?",
        answer="<p>Đặt bẫy, giữ thức ăn trong hộp kín và dọn rác quanh nhà.</p>",
        owner=editor,
        live=False,
    )
    library.add_child(instance=page)
    page.themes.set(Theme.objects.filter(code="C4"))
    page.save_revision(user=editor)
    return page


@pytest.mark.django_db
def test_page_goes_live_only_after_reviewer_and_party_building_board_approve(
    library: Any, django_capture_on_commit_callbacks: Any
) -> None:
    users = get_user_model().objects
    editor, reviewer = users.get(username="bientap"), users.get(username="duyetnoidung")
    outsider = users.create_user("duyet.khac", password="x")
    outsider.groups.add(group_for(RoleKey.CONTENT_REVIEWER))  # reviewer, not on the Board
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    workflow = page.get_workflow()
    assert workflow is not None
    state = workflow.start(page, editor)
    first = state.current_task_state.task.specific
    assert first.get_actions(page, reviewer) and not first.get_actions(page, editor)
    first.on_action(state.current_task_state, reviewer, "approve")
    state.refresh_from_db()
    board = state.current_task_state.task.specific
    assert board.get_actions(page, outsider) == []
    assert board.get_actions(page, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        board.on_action(state.current_task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.pk in [hit.id for hit in portal_engine().search("chuot tran vao nha")]
    assert AuditEntry.objects.filter(
        action="library.page_published", object_id=str(page.pk)
    ).exists()


@pytest.mark.django_db
def test_approved_page_with_a_go_live_date_is_published_by_publish_scheduled(library: Any) -> None:
    editor = get_user_model().objects.get(username="bientap")
    page = _draft(library, editor, "Chuột tràn vào nhà sau lũ")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision(user=editor)
    reviewer = get_user_model().objects.get(username="duyetnoidung")
    revision.publish(user=reviewer)  # what final approval does: a future date schedules
    page.refresh_from_db()
    assert not page.live
    # An hour passes (the stored times move back instead of the clock moving forward).
    past = timezone.now() - datetime.timedelta(minutes=1)
    Page.objects.filter(pk=page.pk).update(go_live_at=past)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
