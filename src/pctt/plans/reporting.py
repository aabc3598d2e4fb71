"""Turn a Report row (frozen figures + edited narrative) into a .docx, and a PDF copy.

Reports are Vietnamese whatever the user's language: they go to the upper level.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from pctt.areas.models import AdminUnit
from pctt.core import charts
from pctt.plans.docx_report import Block, ReportDocument, write_docx
from pctt.plans.models import Organisation, Report

#: Narrative sections people write, in report order (key, heading).
NARRATIVE: list[tuple[str, str]] = [
    ("situation", "I. TÌNH HÌNH TRIỂN KHAI"),
    ("assessment", "III. ĐÁNH GIÁ CHUNG"),
    ("next_steps", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"),
    ("proposals", "V. KIẾN NGHỊ, ĐỀ XUẤT"),
]

GROUP_FIELD_LABELS = {
    "women": "phụ nữ",
    "ethnic_minority": "người dân tộc thiểu số",
    "disabled": "người khuyết tật",
    "elderly": "người cao tuổi",
    "youth": "thanh niên",
}


def place_name(ward: AdminUnit) -> str:
    """ "Phường Bến Sông (hư cấu)" → "Bến Sông": how a document dates itself."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", ward.name).strip()
    return re.sub(r"^(Phường|Xã|Đặc khu|Thị trấn)\s+", "", name)


def default_header(organisation: Organisation) -> dict[str, str]:
    """Header, symbol and signature for the body that reports (can be edited afterwards)."""
    ward = organisation.ward
    place = place_name(ward)
    province = ward.parent.name if ward.parent else ""
    if organisation.kind == Organisation.Kind.PEOPLES_COMMITTEE:
        return {
            "layout": Report.Layout.STATE,
            "superior_body": "",
            "issuing_body": f"ỦY BAN NHÂN DÂN PHƯỜNG {place.upper()}",
            "symbol": "BC-UBND",
            "signature_authority": "TM. ỦY BAN NHÂN DÂN",
            "signature_title": "CHỦ TỊCH",
            "place": place,
        }
    return {
        "layout": Report.Layout.PARTY,
        "superior_body": f"ĐẢNG BỘ {province.upper()}".strip(),
        "issuing_body": f"ĐẢNG ỦY PHƯỜNG {place.upper()}",
        "symbol": "BC/ĐU",
        "signature_authority": "T/M BAN THƯỜNG VỤ",
        "signature_title": "PHÓ BÍ THƯ",
        "place": place,
    }


def default_narrative(figures: dict[str, Any], plan_label: str) -> dict[str, str]:
    gaps = figures["groups_without_activity"]
    return {
        "situation": (
            f"Thực hiện {plan_label}, trong {figures['period']['label']}, các tổ chức trong hệ "
            "thống chính trị phường đã triển khai công tác tuyên truyền về phòng ngừa, ứng phó, "
            "khắc phục hậu quả thiên tai theo nhiệm vụ được phân công."
        ),
        "assessment": (
            "Công tác tuyên truyền được triển khai đúng kế hoạch. "
            + (
                f"Còn {len(gaps)} tổ dân phố chưa có hoạt động tuyên truyền: {', '.join(gaps)}."
                if gaps
                else "Tất cả các tổ dân phố đều có hoạt động tuyên truyền."
            )
        ),
        "next_steps": "Tiếp tục tuyên truyền cao điểm trong mùa mưa bão; tập trung vào các tổ "
        "dân phố chưa có hoạt động.",
        "proposals": "",
    }


def _results(figures: dict[str, Any]) -> list[Block]:
    people = figures["by_group_field"]
    detail = ", ".join(
        f"{n:,} {GROUP_FIELD_LABELS[k]}".replace(",", ".") for k, n in people.items() if n
    )
    blocks = [
        Block("heading", "II. KẾT QUẢ THỰC HIỆN"),
        Block(
            "paragraph",
            f"Trong kỳ, các tổ chức đã thực hiện {figures['activities']} hoạt động tuyên truyền "
            f"với {figures['participants']:,} lượt người tham dự".replace(",", ".")
            + (f" (trong đó {detail})" if detail else "")
            + f"; phát {figures['warnings_sent']} tin cảnh báo thiên tai, ước tính đến "
            f"{figures['reached_estimate']:,} lượt người dân ở các khu vực được cảnh báo.".replace(
                ",", "."
            ),
        ),
        Block("heading", "1. Theo tổ chức"),
        Block("table", rows=[["Tổ chức", "Số hoạt động"], *figures["by_organisation"]]),
        Block("heading", "2. Theo nội dung tuyên truyền (mục II của Kế hoạch)"),
        Block(
            "table",
            rows=[["Mã", "Nội dung", "Số hoạt động"], *figures["by_theme"]],
        ),
        Block("heading", "3. Theo hình thức tuyên truyền (mục III của Kế hoạch)"),
        Block("table", rows=[["Mã", "Hình thức", "Số hoạt động"], *figures["by_form"]]),
        Block("heading", "4. Độ bao phủ các tổ dân phố"),
        Block(
            "table",
            rows=[["Tổ dân phố", "Số hoạt động", "Lượt người tham dự"], *figures["coverage"]],
        ),
    ]
    coverage = {name: n for name, n, _people in figures["coverage"]}
    if coverage:
        blocks.append(
            Block(
                "image",
                image=charts.bar_chart(
                    coverage,
                    title="Số hoạt động theo tổ dân phố",
                    fmt="png",
                    highlight_zero=True,
                    horizontal=True,
                ),
            )
        )
    tasks = figures["tasks"]
    blocks.append(Block("heading", "5. Nhiệm vụ định kỳ"))
    blocks.append(
        Block(
            "paragraph",
            f"Hoàn thành {tasks['done']} lượt nhiệm vụ; quá hạn {tasks['overdue']}; "
            f"sắp đến hạn {tasks['due']}.",
        )
    )
    if figures["overdue"]:
        blocks.append(Block("table", rows=[["Tổ chức", "Nhiệm vụ", "Hạn"], *figures["overdue"]]))
    return blocks


def document(report: Report) -> ReportDocument:
    figures = report.figures
    narrative = report.narrative
    body: list[Block] = []
    for key, heading in NARRATIVE:
        if key == "assessment":
            body.extend(_results(figures))
        text = str(narrative.get(key, "")).strip()
        if text:
            body += [Block("heading", heading), Block("paragraph", text)]
    return ReportDocument(
        layout=report.layout,
        superior_body=report.superior_body,
        issuing_body=report.issuing_body,
        number_symbol=report.number_symbol,
        place=report.place,
        dated=report.dated,
        doc_type="BÁO CÁO",
        summary=report.title,
        body=body,
        recipients=list(report.recipients),
        signature_authority=report.signature_authority,
        signature_title=report.signature_title,
        signature_name=report.signature_name,
    )


def docx_bytes(report: Report) -> bytes:
    return write_docx(document(report))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


#: One conversion at most this long: LibreOffice starting cold takes a few seconds.
CONVERT_TIMEOUT = 120


EXPORT_FILTERS = {"pdf": "pdf"}


class ConversionError(RuntimeError):
    """LibreOffice ran but produced nothing (its own messages are in the exception)."""


def convert_docx(docx: bytes, fmt: str) -> bytes | None:
    """The .docx converted to PDF by LibreOffice; None where LibreOffice is not installed.

    Each conversion gets its own throw-away LibreOffice profile: two at once would otherwise
    fight over the server user's profile (and a service account may have no home at all)."""
    if fmt not in EXPORT_FILTERS:
        raise ValueError(fmt)
    binary = soffice()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="pctt-soffice-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        profile = (Path(folder) / "profile").as_uri()
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [
                binary,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                EXPORT_FILTERS[fmt],
                "--outdir",
                folder,
                str(source),
            ],
            check=False,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
        )
        target = Path(folder) / f"report.{fmt}"
        if result.returncode != 0 or not target.exists():
            raise ConversionError(
                (result.stderr or result.stdout).decode("utf-8", "replace")[-500:]
            )
        return target.read_bytes()


def pdf_bytes(report: Report) -> bytes | None:
    """A PDF copy where LibreOffice is installed; None otherwise."""
    return convert_docx(docx_bytes(report), "pdf")


def png_bytes(report: Report, *, dpi: int = 60) -> bytes | None:
    """The first page as PNG (a preview), from the PDF, where LibreOffice and poppler's
    `pdftoppm` are installed; None otherwise. (LibreOffice's Writer-only packages carry no
    PNG export filter.)"""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None or soffice() is None:
        return None
    pdf = pdf_bytes(report)
    assert pdf is not None
    with tempfile.TemporaryDirectory(prefix="pctt-pdftoppm-") as folder:
        source, target = Path(folder) / "report.pdf", Path(folder) / "page"
        source.write_bytes(pdf)
        result = subprocess.run(  # noqa: S603 - fixed arguments; the PDF is our own
            [pdftoppm, "-png", "-r", str(dpi), "-singlefile", str(source), str(target)],
            check=False,
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
        )
        png = target.with_suffix(".png")
        if result.returncode != 0 or not png.exists():
            raise ConversionError(result.stderr.decode("utf-8", "replace")[-500:])
        return png.read_bytes()
