"""The public portal in a real browser: without JavaScript, on a 360-pixel screen, with an
active warning; accessibility (axe-core), keyboard, large text, page weight."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pctt.accounts.roles import RoleKey
from tests.alerts.factories import issued_flood, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def active_warning(demo_ward: object) -> object:
    return issued_flood(
        user_with(RoleKey.ALERT_OPERATOR, "op"), user_with(RoleKey.ALERT_APPROVER, "ap")
    )


def _phone(browser: Any, *, javascript: bool = True, bypass_csp: bool = False) -> Any:
    context = browser.new_context(
        viewport=PHONE,
        java_script_enabled=javascript,
        locale="vi-VN",
        device_scale_factor=2,
        bypass_csp=bypass_csp,
    )
    return context.new_page()


def test_home_on_a_phone_without_javascript_shows_the_warning_and_what_to_do(
    browser: Any, live_server: Any, active_warning: Any
) -> None:
    page = _phone(browser, javascript=False)
    page.goto(live_server.url + "/")
    text = page.inner_text("main")
    assert active_warning.headline_vi in text and "Việc cần làm ngay" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click(f"text={active_warning.headline_vi}")
    assert "bản tin CAP" in page.inner_text("main").lower() or "CAP" in page.inner_text("main")


def test_public_pages_have_no_serious_accessibility_violations(
    browser: Any, live_server: Any, active_warning: Any
) -> None:
    # axe is injected as a script the pages' CSP rightly refuses; CSP has its own browser test.
    page = _phone(browser, bypass_csp=True)
    for path in ("/", f"/canh-bao/{active_warning.identifier}/", "/nhan-canh-bao/"):
        page.goto(live_server.url + path)
        page.add_script_tag(content=AXE.read_text())
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
        serious = [
            (v["id"], v["help"])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], path


def test_keyboard_users_reach_the_content_first(
    browser: Any, live_server: Any, active_warning: object
) -> None:
    page = _phone(browser)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_large_text_mode_enlarges_the_text_and_still_fits(
    browser: Any, live_server: Any, active_warning: object
) -> None:
    page = _phone(browser, javascript=False)
    page.goto(live_server.url + "/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("text=Chữ to hơn")
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large >= normal * 1.25
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_first_load_of_the_home_page_is_under_100_kb(
    browser: Any, live_server: Any, active_warning: object
) -> None:
    page = _phone(browser)
    sizes: list[int] = []
    page.on(
        "response",
        lambda r: sizes.append(len(r.body())) if r.request.resource_type != "image" else None,
    )
    page.goto(live_server.url + "/", wait_until="networkidle")
    assert 0 < sum(sizes) < 100_000, sizes
