"""A newsletter issue as an A4 document: Word always, PDF through LibreOffice when installed;
made once per published version; only published issues."""

from __future__ import annotations

import io
import shutil
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from docx import Document

from pctt.library import newsletter
from pctt.library.models import NewsletterPage

pytestmark = pytest.mark.django_db


def _issue() -> NewsletterPage:
    page = NewsletterPage.objects.live().first()
    assert page is not None and page.item_pages()
    return page


def test_the_word_file_is_a4_with_every_item_and_its_link(library: Any, client: Client) -> None:
    page = _issue()
    response = client.get(f"/thu-vien/ban-tin/{page.pk}.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text = "\n".join(p.text for p in document.paragraphs)
    for item in page.item_pages():
        assert item.title in text and f"http://testserver{item.url}" in text
    assert page.issue_date.strftime("%d/%m/%Y") in text


def test_a_file_is_made_once_per_published_version(library: Any, client: Client) -> None:
    page = _issue()
    first = newsletter.issue_file(page, "docx")
    assert first is not None and newsletter.issue_file(page, "docx") == first
    page.intro = "Số đặc biệt mùa mưa bão."
    page.save_revision().publish()
    page.refresh_from_db()
    second = newsletter.issue_file(page, "docx")
    assert second != first and default_storage.exists(second)


def test_drafts_unknown_formats_and_missing_pages_are_not_served(
    library: Any, client: Client
) -> None:
    page = _issue()
    assert client.get(f"/thu-vien/ban-tin/{page.pk}.html").status_code == 404
    assert client.get(f"/thu-vien/ban-tin/{page.pk}.exe").status_code == 404
    assert client.get("/thu-vien/ban-tin/999999.pdf").status_code == 404
    page.unpublish()
    assert client.get(f"/thu-vien/ban-tin/{page.pk}.docx").status_code == 404


def test_the_issue_page_offers_the_files_and_no_inline_script(library: Any, client: Client) -> None:
    page = _issue()
    html = client.get(page.url).content.decode()
    assert f"/thu-vien/ban-tin/{page.pk}.docx" in html and "onclick" not in html
    assert (f"/thu-vien/ban-tin/{page.pk}.pdf" in html) == (newsletter.soffice() is not None)


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice missing"
)
def test_the_pdf_is_an_a4_pdf(library: Any, client: Client) -> None:
    page = _issue()
    response = client.get(f"/thu-vien/ban-tin/{page.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    assert b"/MediaBox[0 0 595" in data.replace(b" [", b"[")
