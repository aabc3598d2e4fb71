"""The radio officer in a real browser: the clusters map (no internet tiles) and an
announcement sent from a phone-sized screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_radio_officer_sees_cluster_states_and_announces_from_a_phone(
    browser: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers import actions, demo, protocol
    from pctt.loudspeakers.models import DeviceCommand

    demo.load(demo_ward)
    clusters = list(LoudspeakerCluster.objects.order_by("controller_id"))
    actions.record_state(clusters[0].controller_id, protocol.State(online=True, playing="Bản tin"))
    actions.record_state(clusters[1].controller_id, protocol.State(online=True))
    actions.record_state(clusters[2].controller_id, protocol.State(online=True))
    actions.record_state(clusters[2].controller_id, protocol.State(online=False))
    logins = json.loads((var_dir / "demo-logins.json").read_text())

    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    try:
        _log_in(page, live_server.url, "truyenthanh", logins["truyenthanh"])
        page.goto(f"{live_server.url}/admin/loudspeakers/")
        page.wait_for_selector("svg.loudspeaker-map")
        assert page.locator("svg.loudspeaker-map circle.coverage").count() == len(clusters)
        assert page.locator("svg.loudspeaker-map .state-playing").count() == 1
        assert page.locator("svg.loudspeaker-map .state-offline").count() == 1
        assert page.locator("svg.loudspeaker-map .state-online").count() == 1
        colour = page.eval_on_selector(
            "svg.loudspeaker-map .state-offline .dot", "e => getComputedStyle(e).fill"
        )
        assert colour == "rgb(198, 40, 40)"

        page.goto(f"{live_server.url}/admin/loudspeakers/announce/")
        page.fill("textarea[name=text]", "Chiều nay 15 giờ họp tổ dân phố tại nhà văn hoá.")
        page.check(f"input[name=clusters][value='{clusters[0].pk}']")
        page.check(f"input[name=clusters][value='{clusters[1].pk}']")
        width = page.eval_on_selector("form.announce button[type=submit]", "e => e.offsetWidth")
        assert width > 250  # a big button on a phone
        page.click("form.announce button[type=submit]")
        page.wait_for_url("**/admin/loudspeakers/announce/")
        assert DeviceCommand.objects.filter(kind="phat").count() == 2
        assert external == [], "the map and the form must not need the internet"
    finally:
        context.close()
