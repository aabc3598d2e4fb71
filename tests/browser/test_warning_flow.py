"""The whole warning flow in a real browser: template → draft → previews → a second person
approves → on the portal → cancelled → gone. Two people, two browser sessions."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session(browser: Any, base: str, username: str, password: str) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    _log_in(page, base, username, password)
    return page


def _submit_and_approve(operator: Any, approver: Any) -> None:
    operator.click("button:has-text('Gửi phê duyệt')")
    operator.wait_for_selector("text=Đang chờ người thứ hai")
    approver.goto(operator.url)
    approver.click("button:has-text('Phê duyệt và gửi đến người dân')")
    approver.wait_for_selector("#alert-state:has-text('Đã phát')")


def test_operator_and_approver_take_a_warning_from_template_to_cancelled(
    browser: Any, live_server: Any, demo_ward: object, var_dir: Path
) -> None:
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    base = live_server.url
    started = time.monotonic()
    operator = _session(browser, base, "soancanhbao", logins["soancanhbao"])
    approver = _session(browser, base, "pheduyet", logins["pheduyet"])

    operator.goto(f"{base}/admin/warnings/new/")
    operator.click("text=Lũ trên sông — báo động II")
    operator.fill("#id_ph_station", "Bến Sông")
    operator.fill("#id_ph_water_level", "12,4")
    operator.fill("#id_ph_time", "7h30 ngày 15/9")
    operator.fill("#id_ph_areas", "tổ dân phố 1 và 6")
    operator.fill("#id_ph_shelter", "Trường Tiểu học Bến Sông")
    operator.wait_for_selector("#alert-map[data-features='12']")
    operator.locator(".leaflet-interactive").first.click()  # choose a group on the map
    operator.check("label:has-text('Tổ dân phố 6') input")
    operator.click("button:has-text('Tạo bản nháp')")
    operator.wait_for_selector("text=Nội dung sẽ được gửi")

    assert "UCS-2" in operator.inner_text("#sms-meta")
    assert "GSM-7" in operator.inner_text("#sms-ascii-meta")
    assert "hợp lệ theo CAP 1.2" in operator.inner_text("#cap-valid")
    assert "mười hai phẩy bốn" in operator.text_content("#spoken")
    assert int(operator.inner_text("#reach-email")) > 0
    assert "Phê duyệt và gửi" not in operator.content()  # the author cannot approve

    _submit_and_approve(operator, approver)
    portal = approver.context.new_page()
    portal.goto(f"{base}/")
    assert "Lũ lên mức báo động II tại Bến Sông" in portal.inner_text("main")

    operator.reload()
    operator.click("button:has-text('Huỷ cảnh báo này')")
    operator.wait_for_selector("text=Huỷ cảnh báo:")
    _submit_and_approve(operator, approver)
    portal.reload()
    assert "Hiện không có cảnh báo nào" in portal.inner_text("main")
    elapsed = time.monotonic() - started
    print(f"template to cancelled, two people, in {elapsed:.1f} s of browser time")
