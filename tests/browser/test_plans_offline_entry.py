from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_activity_entered_offline_is_kept_and_sent_when_the_connection_returns(
    page: Any, live_server: Any, demo_ward: object, var_dir: Path
) -> None:
    from pctt.plans import demo
    from pctt.plans.models import Activity

    demo.load(demo_ward)  # type: ignore[arg-type]

    logins = json.loads((var_dir / "demo-logins.json").read_text())
    _log_in(page, live_server.url, "daumoi.phunu", logins["daumoi.phunu"])
    page.goto(f"{live_server.url}/ke-hoach/hoat-dong/moi/")
    before = Activity.objects.count()

    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.select_option("select[name=kind]", "door_to_door")
    page.check("input[name=groups] >> nth=0")
    page.check("input[name=themes][value=C4]")
    page.fill("input[name=participants]", "14")
    page.click("button[type=submit]")
    page.wait_for_selector("#queue li")
    assert Activity.objects.count() == before
    queued = page.evaluate("JSON.parse(localStorage.getItem('pctt.plans.queue'))")
    assert len(queued) == 1 and queued[0]["entry"]["participants"] == 14

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue li")).to_have_count(0)
    assert Activity.objects.count() == before + 1
    activity = Activity.objects.order_by("-pk").first()
    assert activity is not None and activity.participants == 14
    assert str(activity.client_id) == queued[0]["entry"]["client_id"]
