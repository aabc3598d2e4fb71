"""The hazard form's map picker in a real browser on a phone screen without JavaScript:
tapping a residential group picks it and keeps the text; the report is then sent with it."""

from __future__ import annotations

from typing import Any

import pytest

from pctt.community import abuse
from pctt.community.models import Submission
from tests.community.conftest import ward as ward
from tests.community.test_map_picker import mapped as mapped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tapping_the_map_without_javascript_picks_the_group(
    browser: Any, live_server: Any, mapped: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0.0)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/y-kien/gui/")
    phone.check("input[name=kind][value=hazard]")
    phone.fill("textarea[name=text]", "Nước tràn qua đường ở đầu dốc")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # South-east quarter of the picture: group 4.
    phone.click("input[name=map]", position={"x": 250, "y": 280})
    assert phone.input_value("select[name=residential_group]") == str(mapped[4].pk)
    assert phone.input_value("textarea[name=text]") == "Nước tràn qua đường ở đầu dốc"
    assert not Submission.objects.exists()
    phone.click("form button[type=submit]")
    report = Submission.objects.get()
    assert report.residential_group == mapped[4] and report.lat is not None
    context.close()
