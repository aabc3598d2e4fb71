"""The delivery status screens in a real browser: an alert operator finds a warning's
broadcast from the menu, reads the counts per channel and group, and the follow-up list of
residents not reached, with numbers masked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_reads_delivery_status_and_the_masked_follow_up_list(
    page: Any, live_server: Any, demo_ward: Any, var_dir: Path, settings: Any
) -> None:
    from pctt.dispatch.actions import create_broadcast
    from pctt.dispatch.fanout import fan_out
    from pctt.dispatch.models import Delivery
    from tests.dispatch import factories as f

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _commune, g1, g2 = f.ward()
    f.subscriber(group=g1, phone="+84912000001", drills=True)
    f.subscriber(group=g2, phone="+84912000002", drills=True)
    broadcast = create_broadcast(
        reference="alert:99:v1",
        status="exercise",
        priority="emergency",
        area_ids=[g1.pk, g2.pk],
        content=f.SMS_CONTENT,
    )
    fan_out(broadcast.pk)
    Delivery.objects.filter(recipient_id__in=[s.pk for s in g1.subscribers.all()]).update(
        status="delivered"
    )
    Delivery.objects.exclude(status="delivered").update(status="failed", last_error="x")

    logins = json.loads((var_dir / "demo-logins.json").read_text())
    base = live_server.url
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    _log_in(page, base, "soancanhbao", logins["soancanhbao"])

    page.click("a[href='/admin/delivery/']")
    page.wait_for_selector("#broadcasts")
    page.click("#broadcasts a:has-text('alert:99:v1')")
    page.wait_for_selector("#by-channel")
    channel_row = page.locator("#by-channel tbody tr").first.inner_text()
    assert "Tin nhắn SMS" in channel_row
    groups = page.inner_text("#by-group")
    assert "Tổ 1" in groups and "Tổ 2" in groups
    unreached = page.locator("#unreached tbody tr")
    assert unreached.count() == 1
    text = unreached.first.inner_text()
    assert "Tổ 2" in text and "•" in text and "+84912000002" not in page.content()
    assert "diễn tập" in page.inner_text("main").lower()  # a drill never looks actual
    assert external == []
