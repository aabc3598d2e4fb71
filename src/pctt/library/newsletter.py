"""A newsletter issue (bản tin) as a printable A4 document: Word (.docx, python-docx) always,
PDF where LibreOffice is installed (the same route as the plans' reports).

Files are made once per published version and kept in the media storage, so a public
download never starts LibreOffice twice for the same issue.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Cm, Pt

from pctt.library.models import NewsletterPage

FOLDER = "library/newsletters"
#: Each item quotes this much of its page; the rest is on the portal (the link is printed).
ITEM_CHARS = 1500
SOFFICE_TIMEOUT_S = 120


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _version(page: NewsletterPage) -> str:
    # The live revision changes on every publication, even two within one second.
    if page.live_revision_id is not None:
        return f"{page.pk}-r{page.live_revision_id}"
    stamp = page.last_published_at or page.latest_revision_created_at or timezone.now()
    return f"{page.pk}-{int(stamp.timestamp())}"


def docx_bytes(page: NewsletterPage, *, ward_name: str = "", base_url: str = "") -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    if ward_name:
        document.add_paragraph(ward_name.upper())
    document.add_heading(page.title, level=0)
    document.add_paragraph(
        _("Issue %(number)s, %(date)s")
        % {"number": page.issue_number, "date": page.issue_date.strftime("%d/%m/%Y")}
    )
    if page.intro:
        document.add_paragraph(page.intro)
    for item in page.item_pages():
        document.add_heading(item.title, level=1)
        text = item.body_text().strip()
        if len(text) > ITEM_CHARS:
            text = text[:ITEM_CHARS].rsplit(" ", 1)[0] + " …"
        for line in text.split("\n"):
            if line.strip():
                document.add_paragraph(line.strip())
        if base_url and item.url:
            document.add_paragraph(_("Read more: %(url)s") % {"url": base_url + item.url})
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _convert(docx: bytes) -> bytes:
    binary = soffice()
    assert binary is not None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ban-tin.docx"
        source.write_bytes(docx)
        # Its own profile folder: two conversions at once would otherwise fight over one.
        profile = (Path(folder) / "profile").as_uri()
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [
                binary,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=SOFFICE_TIMEOUT_S,
        )
        return (Path(folder) / "ban-tin.pdf").read_bytes()


def issue_file(
    page: NewsletterPage, fmt: str, *, ward_name: str = "", base_url: str = ""
) -> str | None:
    """The storage name of this issue's file in ``fmt`` ("docx" or "pdf"), made when
    missing; None for a PDF without LibreOffice."""
    if fmt not in ("docx", "pdf") or (fmt == "pdf" and soffice() is None):
        return None
    name = f"{FOLDER}/ban-tin-{_version(page)}.{fmt}"
    if default_storage.exists(name):
        return name
    docx = docx_bytes(page, ward_name=ward_name, base_url=base_url)
    content = docx if fmt == "docx" else _convert(docx)
    return default_storage.save(name, ContentFile(content))
