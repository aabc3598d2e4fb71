"""Pages work under the Content-Security-Policy in a real browser: no violation reported on
the portal's pages (which must need no inline script or style) or on the back office."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber
  );
});
"""


def _violations(page: Any, url: str) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [*page.evaluate("window.__csp"), *messages]


def test_portal_pages_run_without_csp_violations(
    page: Any, live_server: Any, demo_ward: object, var_dir: Path
) -> None:
    from django.contrib.auth import get_user_model

    from tests.alerts.factories import issued_flood

    users = get_user_model().objects
    warning = issued_flood(
        users.get(username="soancanhbao"), users.get(username="pheduyet"), risk_level=3
    )
    page.add_init_script(WATCH)
    base = live_server.url
    paths = ["/", f"/canh-bao/{warning.identifier}/", "/nhan-canh-bao/", "/y-kien/"]
    for path in paths:
        assert _violations(page, base + path) == [], path


def test_the_back_office_runs_without_csp_violations(
    page: Any, live_server: Any, demo_ward: object, var_dir: Path
) -> None:
    import json

    from tests.browser.test_admin_map import _log_in

    page.add_init_script(WATCH)
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    base = live_server.url
    assert _violations(page, base + "/admin/login/") == []
    _log_in(page, base, "soancanhbao", logins["soancanhbao"])
    for path in ("/admin/", "/admin/warnings/", "/admin/warnings/new/", "/admin/areas/map/"):
        assert _violations(page, base + path) == [], path
