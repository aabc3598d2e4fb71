"""The first administrator of a fresh install (no demo), in a browser without JavaScript:
signed in, taken to the wizard, finds the ward by typing without marks, serves it. (At phone
width Wagtail's own sidebar needs JavaScript to get out of the way, so the width is a tablet's.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.browser.test_guide_screenshots import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fresh_install_leads_the_first_administrator_to_choose_the_ward_without_javascript(
    browser: Any, live_server: Any, wagtail_tree: object
) -> None:
    from pctt.areas.actions import load_reference
    from pctt.areas.models import WardSetting

    load_reference(only_provinces=["Tỉnh Lào Cai"])
    get_user_model().objects.create_superuser("admin", password="mat-khau-dai")
    phone = browser.new_context(
        java_script_enabled=False, locale="vi-VN", viewport={"width": 800, "height": 900}
    )
    page = phone.new_page()
    base = live_server.url
    _sign_in(page, base, "admin", "mat-khau-dai")  # a superuser: password, then TOTP
    page.wait_for_url(f"{base}/admin/thiet-lap/")
    page.click("#ob-start")
    page.wait_for_url(f"{base}/admin/thiet-lap/ward/")
    page.fill("#ob-q", "cam duong")
    page.click(".ob-search button[type=submit]")
    page.wait_for_url("**/thiet-lap/ward/?q=cam+duong")
    assert page.locator("#ob-hits input[type=radio]").count() == 1
    page.click("#ob-choose")
    page.wait_for_url(f"{base}/admin/thiet-lap/groups/")
    assert WardSetting.load().ward.code == "02671"  # type: ignore[union-attr]
    # The drawing map needs JavaScript; without it the outline field is there to paste into.
    assert page.locator("textarea#id_geometry").is_visible()
    page.goto(f"{base}/admin/")
    assert "thiet-lap" not in page.url
    missing = page.locator("#onboarding-missing")
    assert missing.locator("[data-step='groups']").count() == 1, (
        missing.inner_html() if missing.count() else page.content()[:3000]
    )
    phone.close()


def test_the_ward_list_answers_as_an_administrator_types(page: Any, live_server: Any) -> None:
    from pctt.areas.actions import load_reference

    load_reference(only_provinces=["Tỉnh Lào Cai"])
    get_user_model().objects.create_superuser("admin", password="mat-khau-dai")
    _log_in_to_wizard(page, live_server.url)
    page.goto(f"{live_server.url}/admin/thiet-lap/ward/")
    page.fill("#ob-q", "hop thanh")
    page.wait_for_selector("#ob-hits[data-count='1']")
    assert "Xã Hợp Thành" in page.inner_text("#ob-hits")
    page.fill("#ob-q", "khong co phuong nao ten the nay")
    page.wait_for_selector("#ob-hits[data-count='0']")


def _log_in_to_wizard(page: Any, base: str) -> None:
    _sign_in(page, base, "admin", "mat-khau-dai")
    page.wait_for_url(f"{base}/admin/thiet-lap/")
