"""A human-readable summary of an alert, in Vietnamese (default) or English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from pctt.cap.model import Alert, Info

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

# CAP code values → (Vietnamese, English) labels for people reading the summary.
VALUE_LABELS: dict[str, tuple[str, str]] = {
    "Actual": ("Thực", "Actual"),
    "Exercise": ("Diễn tập", "Exercise"),
    "System": ("Hệ thống", "System"),
    "Test": ("Thử nghiệm", "Test"),
    "Draft": ("Bản nháp", "Draft"),
    "Alert": ("Cảnh báo mới", "Alert"),
    "Update": ("Cập nhật", "Update"),
    "Cancel": ("Hủy", "Cancel"),
    "Ack": ("Xác nhận", "Acknowledgement"),
    "Error": ("Báo lỗi", "Error"),
    "Immediate": ("Ngay lập tức", "Immediate"),
    "Expected": ("Sắp xảy ra (trong khoảng 1 giờ)", "Expected (within about an hour)"),
    "Future": ("Trong thời gian tới", "Future"),
    "Past": ("Đã qua", "Past"),
    "Unknown": ("Không rõ", "Unknown"),
    "Extreme": ("Cực kỳ nghiêm trọng", "Extreme"),
    "Severe": ("Nghiêm trọng", "Severe"),
    "Moderate": ("Trung bình", "Moderate"),
    "Minor": ("Nhẹ", "Minor"),
    "Observed": ("Đã xảy ra", "Observed"),
    "Likely": ("Nhiều khả năng (> 50%)", "Likely (> 50%)"),
    "Possible": ("Có thể (≤ 50%)", "Possible (≤ 50%)"),
    "Unlikely": ("Ít khả năng", "Unlikely"),
}

_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "identifier": ("Mã cảnh báo", "Identifier"),
    "sender": ("Người gửi", "Sender"),
    "sent": ("Thời điểm gửi", "Sent"),
    "status": ("Trạng thái", "Status"),
    "msg_type": ("Loại tin", "Message type"),
    "info": ("Thông tin", "Info"),
    "event": ("Sự kiện", "Event"),
    "urgency": ("Mức khẩn cấp", "Urgency"),
    "severity": ("Mức nghiêm trọng", "Severity"),
    "certainty": ("Mức chắc chắn", "Certainty"),
    "headline": ("Tiêu đề", "Headline"),
    "instruction": ("Hướng dẫn", "Instruction"),
    "areas": ("Khu vực", "Areas"),
    "expires": ("Hết hiệu lực", "Expires"),
}


def local_time(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%d/%m/%Y %H:%M")


def summarise(alert: Alert, lang: str = "vi") -> str:
    index = 1 if lang == "en" else 0

    def label(field: str) -> str:
        return _FIELD_LABELS[field][index]

    def value(code: str) -> str:
        return VALUE_LABELS.get(code, (code, code))[index]

    lines = [
        f"{label('identifier')}: {alert.identifier}",
        f"{label('sender')}: {alert.sender}",
        f"{label('sent')}: {local_time(alert.sent)}",
        f"{label('status')}: {value(alert.status)}",
        f"{label('msg_type')}: {value(alert.msg_type)}",
    ]
    for number, info in enumerate(alert.infos, start=1):
        lines.extend(_info_lines(info, number, label, value))
    return "\n".join(lines)


def _info_lines(
    info: Info, number: int, label: Callable[[str], str], value: Callable[[str], str]
) -> list[str]:
    language = f" [{info.language}]" if info.language else ""
    lines = [
        f"{label('info')} {number}{language}:",
        f"  {label('event')}: {info.event}",
        f"  {label('urgency')}: {value(info.urgency)}",
        f"  {label('severity')}: {value(info.severity)}",
        f"  {label('certainty')}: {value(info.certainty)}",
    ]
    if info.expires is not None:
        lines.append(f"  {label('expires')}: {local_time(info.expires)}")
    if info.headline:
        lines.append(f"  {label('headline')}: {info.headline.strip()}")
    if info.instruction:
        lines.append(f"  {label('instruction')}: {' '.join(info.instruction.split())}")
    if info.areas:
        areas = "; ".join(" ".join(area.area_desc.split()) for area in info.areas)
        lines.append(f"  {label('areas')}: {areas}")
    return lines
