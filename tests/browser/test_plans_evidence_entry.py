"""Evidence on the phone: photos and library materials picked while offline are sent with
the activity when the connection returns (photos shrunk on the phone, re-encoded here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wagtail_roots() -> None:
    """The locale, root page and root collection Wagtail's migrations make, which the flush
    after an earlier transactional test removed."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def test_photos_and_materials_entered_offline_are_sent_with_the_activity(
    page: Any, live_server: Any, demo_ward: object, var_dir: Path, tmp_path: Path
) -> None:
    import io

    from PIL import Image
    from wagtail.models import Page

    from pctt.library.models import QuestionPage
    from pctt.library.setup import ensure_library
    from pctt.plans import demo
    from pctt.plans.models import Activity

    demo.load(demo_ward)  # type: ignore[arg-type]
    _wagtail_roots()
    library = ensure_library()
    material = QuestionPage(
        title="Túi đồ khẩn cấp", slug="tui-do", question="Gồm gì?", answer="<p>Nước.</p>"
    )
    library.add_child(instance=material)
    photo = tmp_path / "hop-to-dan-pho.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (30, 90, 160)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    logins = json.loads((var_dir / "demo-logins.json").read_text())
    _log_in(page, live_server.url, "daumoi.phunu", logins["daumoi.phunu"])
    page.goto(f"{live_server.url}/ke-hoach/hoat-dong/moi/")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.select_option("select[name=kind]", "meeting")
    page.check("input[name=themes][value=C4]")
    page.fill("input[name=participants]", "25")
    page.click("#materials summary")
    page.check(f"input[name=materials][value='{material.pk}']")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("button[type=submit]")
    page.wait_for_selector("#queue li")
    # Locator assertions, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("#photos-waiting")).not_to_have_text("")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue li")).to_have_count(0)
    expect(page.locator("#photos-waiting")).to_have_text("")
    activity = Activity.objects.order_by("-pk").first()
    assert activity is not None and activity.participants == 25
    assert list(activity.materials.values_list("pk", flat=True)) == [material.pk]
    (image,) = activity.photos.all()
    assert max(image.width, image.height) <= 1600  # shrunk on the phone, re-encoded here
    assert Page.objects.filter(pk=material.pk).exists()
