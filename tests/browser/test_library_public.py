"""The library in a real browser, as residents use it: browse, search typing without
diacritics (no JavaScript), open guidance with its audio player, ask the assistant and follow
its citation, hand an unanswered question to the ward, download the newsletter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.library.conftest import library as library
from tests.library.conftest import media as media

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_tree"),
]
PHONE = {"width": 360, "height": 740}


def _phone(browser: Any, *, javascript: bool) -> Any:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, locale="vi-VN")
    return context.new_page()


def test_a_resident_finds_guidance_typing_without_diacritics_and_without_javascript(
    browser: Any, live_server: Any, library: Any
) -> None:
    page = _phone(browser, javascript=False)
    page.goto(live_server.url + library.url)
    assert library.title in page.inner_text("main")
    page.fill("input[name=q]", "lu ong lam gi")
    page.locator("input[name=q]").press("Enter")
    page.wait_for_url("**/thu-vien/tim-kiem/**")
    page.click("ul.results a >> nth=0")
    assert page.inner_text("h2") == "Khi có lũ quét, lũ ống: làm gì ngay"
    audio = page.locator("audio")
    assert audio.count() == 1 and "/thu-vien/am-thanh/" in (audio.get_attribute("src") or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.close()


def test_the_assistant_quotes_and_links_or_hands_the_question_to_the_ward(
    browser: Any, live_server: Any, library: Any
) -> None:
    page = _phone(browser, javascript=True)
    page.goto(live_server.url + "/thu-vien/hoi-dap/")
    page.fill("textarea[name=q]", "bị sét đánh thì sơ cứu thế nào?")
    page.click("form.library-ask button[type=submit]")
    assert "Gọi 115" in page.inner_text("section.answer")
    page.click("blockquote.citation footer a >> nth=0")
    assert page.inner_text("h2") == "Sơ cứu người bị sét đánh"
    page.goto(live_server.url + "/thu-vien/hoi-dap/?q=gi%C3%A1+v%C3%A9+m%C3%A1y+bay")
    page.click("section.no-answer a")
    page.wait_for_url("**/y-kien/gui/**")
    assert page.input_value("textarea[name=text]") == "giá vé máy bay"
    assert page.is_checked("input[name=kind][value=question]")
    page.context.close()


def test_a_newsletter_issue_downloads_as_a_document(
    browser: Any, live_server: Any, library: Any
) -> None:
    from pctt.library.models import NewsletterPage

    issue = NewsletterPage.objects.live().first()
    assert issue is not None
    page = _phone(browser, javascript=True)
    page.goto(live_server.url + issue.url)
    assert page.is_visible("#print-page")  # the print button needs JavaScript, and has it
    with page.expect_download() as download:
        page.click("text=.docx")
    assert download.value.suggested_filename == f"ban-tin-so-{issue.issue_number}.docx"
    page.context.close()
