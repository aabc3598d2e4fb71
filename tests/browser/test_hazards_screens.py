"""The hazard screens in a real browser: the stations map over the ward outline, a station's
chart, a flood risk level entered from a bulletin, and the warning draft it proposes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_enters_a_flood_risk_level_and_opens_the_proposed_draft(
    page: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    from pctt.hazards import demo
    from pctt.hazards.models import Proposal

    demo.load(demo_ward)
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    base = live_server.url
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    _log_in(page, base, "soancanhbao", logins["soancanhbao"])

    page.goto(f"{base}/admin/stations/")
    assert page.locator("svg.stations-map path.ward-outline").count() == 1
    dot = page.locator("svg.stations-map g.station.level-0")
    assert dot.count() == 1 and "DEMO-TV-01" in (dot.text_content() or "")
    outline, circle = (
        page.locator("svg.stations-map path.ward-outline").bounding_box(),
        dot.locator("circle").bounding_box(),
    )
    assert outline["x"] < circle["x"] < outline["x"] + outline["width"]  # drawn in the ward

    page.click("tr[data-code='DEMO-TV-01'] a")
    page.wait_for_selector("#station-chart svg.hazard-chart")
    assert page.locator("#station-chart line.alarm").count() == 3
    assert page.locator("#station-chart polyline.observed").count() == 1

    page.goto(f"{base}/admin/risk-levels/")
    page.select_option("select[name=hazard]", "flood")
    page.select_option("select[name=area]", str(demo_ward.pk))
    page.select_option("select[name=bulletin_level]", "2")
    page.fill("input[name=source]", "Tin cảnh báo lũ số 3, Đài KTTV tỉnh, 9h 10/9")
    page.click("#risk-level-form button[type=submit]")
    page.wait_for_selector("tr.risk-row[data-hazard='flood'][data-level='2']")
    assert "Tin cảnh báo lũ số 3" in page.inner_text("#current-risk-levels")

    proposal = Proposal.objects.get(kind="risk")
    assert proposal.alert is not None
    page.goto(f"{base}/admin/proposals/")
    page.click(f"a[href*='/admin/warnings/{proposal.alert.pk}']")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "cấp độ rủi ro thiên tai 2" in body and "Tin cảnh báo lũ số 3" in body
    assert external == [], "the hazard screens must not need the internet"
