from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, username: str, password: str) -> None:
    from pctt.accounts.testing import second_factor_code

    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # Approvers and administrators type a TOTP code after the password (docs/security.md);
    # their authenticator is made before signing in, the code read when the page asks for it.
    needs_code = second_factor_code(username) is not None
    page.click("button[type=submit]")
    if needs_code:
        page.wait_for_url("**/admin/2fa/**")
        page.fill("input[name=otp_token]", second_factor_code(username) or "")
        page.press("input[name=otp_token]", "Enter")
    page.wait_for_url(f"{base}/admin/")


def test_an_operator_logs_in_and_sees_the_areas_map_without_internet(
    page: Any, live_server: Any, demo_ward: object, var_dir: Path
) -> None:
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )

    _log_in(page, live_server.url, "soancanhbao", logins["soancanhbao"])
    page.click("text=Bản đồ khu vực")
    page.wait_for_selector("#areas-map[data-features='12']")

    assert page.locator(".leaflet-overlay-pane path").count() == 12
    assert "Tổ dân phố 1" in page.inner_text("#areas-map")
    assert "12 khu vực trên bản đồ" in page.inner_text("#areas-map-status")
    assert external == [], "the map must not need the internet"


def test_the_portal_home_renders_the_ward_outline(
    page: Any, live_server: Any, demo_ward: object
) -> None:
    page.goto(live_server.url + "/")
    assert "Hiện không có cảnh báo" in page.inner_text("main")
    assert page.locator("svg.ward-map .group").count() == 10
