"""The back office in a real browser: an editor writes a Q&A entry and submits it; a content
reviewer of the Party Building Board approves both steps of the workflow (the editor offers
reviewers no "publish" button); the second approval puts it on the portal and residents find
it. The editor's search screen finds the draft before that."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_map import _log_in
from tests.library.conftest import library as library
from tests.library.conftest import media as media

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_tree"),
]


def _menu_button(page: Any, selector: str) -> None:
    """Buttons in the footer's drop-down menu, pressed as a click on them does."""
    with page.expect_navigation():
        page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


def test_write_submit_approve_twice_then_residents_find_it(
    browser: Any, live_server: Any, library: Any, var_dir: Path
) -> None:
    from django.contrib.contenttypes.models import ContentType

    from pctt.library.models import QuestionPage, Theme

    logins = json.loads((var_dir / "demo-logins.json").read_text())
    base = live_server.url
    theme = Theme.objects.get(code="C4")

    editor = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    _log_in(page, base, "bientap", logins["bientap"])
    kind = ContentType.objects.get_for_model(QuestionPage)
    # Wagtail's "add page" address: /admin/pages/add/<app>/<model>/<parent id>/.
    page.goto(f"{base}/admin/pages/add/{kind.app_label}/{kind.model}/{library.pk}/")
    page.fill("#id_title", "Chuột tràn vào nhà sau lũ")
    page.fill("#id_question", "Sau lũ chuột tràn vào nhà thì làm sao?")
    answer = page.locator("[data-contentpath='answer'] [contenteditable='true']")
    answer.click()
    answer.type("Đặt bẫy, giữ thức ăn trong hộp kín và dọn rác quanh nhà.")
    # Draftail copies what is typed into its hidden field a moment later: wait for it.
    expect(page.locator("input[name=answer]")).to_have_value(re.compile("Đặt bẫy"))
    page.check(f"input[name=themes][value='{theme.pk}']")
    _menu_button(page, "button[name='action-submit']")
    # Submitted, Wagtail returns to the library's listing: wait for the save to end there.
    page.wait_for_url(f"{base}/admin/pages/{library.pk}/")
    draft = QuestionPage.objects.get(title="Chuột tràn vào nhà sau lũ")
    assert not draft.live
    # The editor's search screen finds it, typed without diacritics.
    page.goto(f"{base}/admin/library/search/?q=chuot+tran+vao+nha&status=moderation")
    assert page.locator(f"#library-results tr[data-page='{draft.pk}']").count() == 1
    editor.close()

    reviewer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = reviewer.new_page()
    _log_in(page, base, "duyetnoidung", logins["duyetnoidung"])
    approve = "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    for step in ("organisation review", "Party Building Board"):
        page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
        # Reviewers approve; nobody but a superuser publishes past the workflow.
        assert page.locator("button[name='action-publish']").count() == 0
        _menu_button(page, approve)
        draft.refresh_from_db()
        assert draft.live == (step == "Party Building Board")
    reviewer.close()
    resident = browser.new_context(java_script_enabled=False, locale="vi-VN")
    phone = resident.new_page()
    phone.goto(f"{base}/thu-vien/tim-kiem/?q=chuot+vao+nha")
    phone.click("text=Chuột tràn vào nhà sau lũ")
    assert "Đặt bẫy" in phone.inner_text("main")
    resident.close()
