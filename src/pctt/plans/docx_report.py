"""Write a report as .docx in the Party layout (Hướng dẫn 36-HD/VPTW) or the State layout
(Decree 30/2020/NĐ-CP): A4, Times New Roman, header table, number, place and date, title,
body, "Nơi nhận" and the signature block side by side.

Pure Python plus python-docx, no Django import: callers pass a :class:`ReportDocument`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

__all__ = ["Block", "ReportDocument", "write_docx"]

FONT = "Times New Roman"


@dataclass
class Block:
    """One piece of body: a heading, a paragraph, a table or an image (PNG bytes)."""

    kind: str  # heading, paragraph, table, image
    text: str = ""
    rows: Sequence[Sequence[object]] = ()
    image: bytes = b""


@dataclass
class ReportDocument:
    layout: str  # party or state
    superior_body: str  # "ĐẢNG BỘ TỈNH LÀO CAI"; for the State layout may be empty
    issuing_body: str  # "ĐẢNG ỦY PHƯỜNG BẾN SÔNG" / "ỦY BAN NHÂN DÂN PHƯỜNG BẾN SÔNG"
    number_symbol: str  # "12-BC/ĐU" / "12/BC-UBND"
    place: str
    dated: date
    doc_type: str  # "BÁO CÁO"
    summary: str
    body: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature_authority: str = ""
    signature_title: str = ""
    signature_name: str = ""


def _run(
    paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    # East-Asian fallback font attribute too, or Word substitutes a font for Vietnamese letters.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _line(
    cell: _Cell | None,
    doc: object,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: int = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    paragraph = cell.add_paragraph() if cell is not None else doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _first(cell: _Cell) -> _Cell:
    # A new cell has one empty paragraph; remove it so cells start with our first line.
    cell._element.remove(cell.paragraphs[0]._element)
    return cell


def _header(doc: object, report: ReportDocument) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = (_first(c) for c in table.rows[0].cells)
    day = report.dated
    when = f"{report.place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    if report.layout == "party":
        if report.superior_body:
            _line(left, doc, report.superior_body.upper(), size=14)
        _line(left, doc, report.issuing_body.upper(), size=14, bold=True)
        _line(left, doc, "*", size=14)
        _line(left, doc, f"Số {report.number_symbol}", size=14)
        _line(right, doc, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True)
        _line(right, doc, "_" * 24, size=11)
        _line(right, doc, when, size=14, italic=True)
    else:
        if report.superior_body:
            _line(left, doc, report.superior_body.upper(), size=13)
        _line(left, doc, report.issuing_body.upper(), size=13, bold=True)
        _line(left, doc, "_" * 10, size=11)
        _line(left, doc, f"Số: {report.number_symbol}", size=13)
        _line(right, doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
        _line(right, doc, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
        _line(right, doc, "_" * 20, size=11)
        _line(right, doc, when, size=14, italic=True)


def _table(doc: object, rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=0, cols=len(rows[0]))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            _run(paragraph, str(value), size=12, bold=index == 0)


def _signature(doc: object, report: ReportDocument) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = (_first(c) for c in table.rows[0].cells)
    _line(left, doc, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in report.recipients:
        _line(left, doc, f"- {recipient}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, doc, report.signature_authority, size=14, bold=True)
    _line(right, doc, report.signature_title, size=14, bold=True)
    for _blank in range(3):  # room for the signature and the seal
        _line(right, doc, "", size=14)
    _line(right, doc, report.signature_name, size=14, bold=True)


def write_docx(report: ReportDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(14)  # type: ignore[attr-defined]
    _header(doc, report)
    _line(None, doc, "", size=14)
    _line(None, doc, report.doc_type.upper(), size=16, bold=True)
    _line(None, doc, report.summary, size=14, bold=True)
    _line(None, doc, "-----", size=14)
    for block in report.body:
        if block.kind == "heading":
            _line(None, doc, block.text, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        elif block.kind == "paragraph":
            for text in block.text.split("\n\n"):
                paragraph = _line(None, doc, text, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
                paragraph.paragraph_format.first_line_indent = Mm(10)
                paragraph.paragraph_format.space_after = Pt(6)
        elif block.kind == "table" and block.rows:
            _table(doc, block.rows)
        elif block.kind == "image" and block.image:
            doc.add_picture(io.BytesIO(block.image), width=Mm(150))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(None, doc, "", size=14)
    _signature(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
