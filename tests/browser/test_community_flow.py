"""Submit (no JavaScript) → triage → answer → published correction, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from pctt.accounts.roles import RoleKey
from pctt.community import abuse
from tests.browser.test_admin_map import _log_in
from tests.community.conftest import user_with
from tests.community.conftest import ward as ward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rumour_reported_without_javascript_is_answered_and_corrected_publicly(
    browser: Any,
    page: Any,
    live_server: Any,
    ward: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0.0)
    base = live_server.url
    resident = browser.new_context(java_script_enabled=False, locale="vi-VN")
    phone = resident.new_page()
    phone.goto(f"{base}/y-kien/gui/")
    phone.check("input[name=kind][value=claim]")
    phone.fill("textarea[name=text]", "Thủy điện xả lũ khẩn cấp đêm nay, cả phường sơ tán!")
    phone.click("button[type=submit]")
    reference = phone.inner_text("#reference")

    user_with(RoleKey.ADMINISTRATOR, "qt")  # password "x"
    _log_in(page, base, "qt", "x")
    page.goto(f"{base}/admin/community/")
    page.click(f"tr[data-reference='{reference}'] a")
    page.click("form:has(input[value=claim]) button")
    page.click('a[href*="/community/claims/edit/"]')
    page.select_option("select[name=verdict]", "false")
    page.fill("input[name=title]", "Không có xả lũ khẩn cấp")
    page.fill("textarea[name=facts]", "Đơn vị vận hành hồ chứa xác nhận không xả lũ.")
    page.fill("input[name=short_text]", "PCTT: tin xa lu la SAI.")
    page.click("#id_evidence-ADD")
    page.select_option("select[name='evidence-0-kind']", "official")
    page.fill("textarea[name='evidence-0-description']", "Công văn của đơn vị vận hành")
    page.click("footer button[type=submit].button-longrunning")
    assert "/community/claims/edit/" not in page.url, page.inner_text("main")[:1500]
    assert page.locator("ul.error").count() == 0, page.inner_text("main")[:1500]
    page.click("form:has(input[value=publish]) button")
    assert "Không có xả lũ khẩn cấp" in page.inner_text("main")

    phone.goto(f"{base}/y-kien/tin-don/")
    phone.click("text=Không có xả lũ khẩn cấp")
    assert "tin xa lu la SAI" in phone.inner_text("main")
    phone.goto(f"{base}/y-kien/tra-cuu/?ma={reference}")
    assert "tin xa lu la SAI" in phone.inner_text("#answer")
    resident.close()
