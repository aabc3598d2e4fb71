"""The report's PDF copy and page preview by LibreOffice where it is installed; where it is
not, the screen says so instead of offering a broken button."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from pctt.plans import actions, reporting
from pctt.plans.models import Organisation
from pctt.plans.periods import period_containing

pytestmark = pytest.mark.django_db


def _report(users: dict[str, Any], orgs: dict[str, Organisation]) -> Any:
    period = period_containing(timezone.localdate(), "month")
    return actions.create_report(
        user=users["quantri"], organisation=orgs["party_building_board"], period=period
    )


@pytest.fixture
def libreoffice() -> str:
    binary = reporting.soffice()
    if binary is None:
        # Optional on servers and in CI alike: the screen says the PDF is unavailable.
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return binary


def test_the_report_renders_to_pdf_and_a_portrait_page_image(
    users: dict[str, Any], orgs: dict[str, Organisation], libreoffice: str
) -> None:
    report = _report(users, orgs)
    pdf = reporting.pdf_bytes(report)
    assert pdf is not None and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    png = reporting.png_bytes(report)
    if png is None:
        pytest.skip("poppler's pdftoppm is not installed (apt-get install poppler-utils)")
    page = Image.open(io.BytesIO(png)).convert("L")
    assert page.height > page.width  # A4 portrait, as the layouts require
    dark = sum(page.histogram()[:128])  # pixels darker than mid-grey
    assert dark > page.width * page.height * 0.002  # text was drawn, not a blank page


def test_the_report_screen_offers_the_pdf_download(
    users: dict[str, Any], orgs: dict[str, Organisation], libreoffice: str
) -> None:
    report = _report(users, orgs)
    client = Client()
    client.force_login(users["quantri"])
    page = client.get(f"/admin/plans/reports/{report.pk}/").content.decode()
    assert 'id="download-pdf"' in page and 'id="pdf-unavailable"' not in page
    response = client.get(f"/admin/plans/reports/{report.pk}/file.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_without_libreoffice_the_screen_says_the_pdf_is_unavailable(
    users: dict[str, Any],
    orgs: dict[str, Organisation],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no soffice to be found
    assert reporting.soffice() is None
    report = _report(users, orgs)
    assert reporting.pdf_bytes(report) is None
    client = Client()
    client.force_login(users["quantri"])
    page = client.get(f"/admin/plans/reports/{report.pk}/").content.decode()
    assert 'id="pdf-unavailable"' in page and 'id="download-pdf"' not in page
    assert client.get(f"/admin/plans/reports/{report.pk}/file.pdf").status_code == 404
    assert client.get(f"/admin/plans/reports/{report.pk}/file.docx").status_code == 200


def test_a_conversion_that_produces_nothing_is_an_error_not_an_empty_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A real program standing where LibreOffice would be, that exits without a file.
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(reporting.ConversionError, match="could not be loaded"):
        reporting.convert_docx(b"PK not really a docx", "pdf")
    with pytest.raises(ValueError):
        reporting.convert_docx(b"", "png")
