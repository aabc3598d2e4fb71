"""What each channel says about a warning, rendered once per variant.

Exercise and Test messages carry their label at the front of every rendering, so a drill
can never reach a resident looking like an actual warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from pctt.alerts.models import Alert
from pctt.alerts.models.choices import RISK_LEVELS
from pctt.core import sms
from pctt.core.text import strip_diacritics

DRILL_LABELS = {
    Alert.Status.EXERCISE: ("DIỄN TẬP", "EXERCISE"),
    Alert.Status.TEST: ("THỬ NGHIỆM", "TEST"),
}
CANCEL_LABEL = ("HUỶ CẢNH BÁO", "CANCELLED")


def label_vi(alert: Alert) -> str:
    return DRILL_LABELS.get(alert.status, ("", ""))[0]  # type: ignore[call-overload]


def label_en(alert: Alert) -> str:
    return DRILL_LABELS.get(alert.status, ("", ""))[1]  # type: ignore[call-overload]


def _prefixed(alert: Alert, text: str, *, english: bool = False) -> str:
    labels = []
    drill = label_en(alert) if english else label_vi(alert)
    if drill:
        labels.append(drill)
    if alert.msg_type == Alert.MsgType.CANCEL:
        labels.append(CANCEL_LABEL[1] if english else CANCEL_LABEL[0])
    prefix = "".join(f"[{label}] " for label in labels)
    return prefix + text if not text.startswith(prefix) else text


def headline(alert: Alert, *, english: bool = False) -> str:
    text = (alert.headline_en or alert.headline_vi) if english else alert.headline_vi
    return _prefixed(alert, text, english=english)


def sms_text(alert: Alert) -> str:
    return _prefixed(alert, alert.sms_vi or alert.headline_vi)


@dataclass(frozen=True)
class SmsPreview:
    text: str
    encoding: str
    length: int
    segments: int


def sms_previews(alert: Alert) -> tuple[SmsPreview, SmsPreview]:
    """The SMS with diacritics and without, each with its encoding and segment count."""
    text = sms_text(alert)
    info = sms.preview(text)
    ascii_info = info["ascii"]
    return (
        SmsPreview(text, str(info["encoding"]), int(info["length"]), int(info["segments"])),
        SmsPreview(
            str(ascii_info["text"]),
            str(ascii_info["encoding"]),
            int(ascii_info["length"]),
            int(ascii_info["segments"]),
        ),
    )


def loudspeaker_script(alert: Alert) -> str:
    """What the loudspeaker says, drills announced at the start and at the end."""
    body = alert.loudspeaker_vi or f"{alert.headline_vi}. {alert.instruction_vi}"
    drill = label_vi(alert)
    if alert.msg_type == Alert.MsgType.CANCEL:
        body = f"Thông báo huỷ cảnh báo. {body}"
    if drill:
        notice = f"Đây là tin {drill.lower()}, không phải cảnh báo thật."
        body = f"{notice} {body} {notice}"
    return body


def email(alert: Alert) -> dict[str, str]:
    subject = headline(alert)
    expires = timezone.localtime(alert.expires)
    lines = [
        subject,
        "",
        alert.description_vi,
        "",
        "Việc cần làm:",
        alert.instruction_vi,
        "",
        f"Hiệu lực đến: {expires:%H:%M ngày %d/%m/%Y}",
    ]
    if alert.risk_level:
        lines.append(f"Cấp độ rủi ro thiên tai: {alert.risk_level}")
    if label_vi(alert):
        lines += ["", f"Đây là tin {label_vi(alert).lower()}, không phải cảnh báo thật."]
    return {"subject": subject, "text": "\n".join(lines)}


def risk_colour(alert: Alert) -> str | None:
    return RISK_LEVELS[alert.risk_level][0] if alert.risk_level else None


def channel_content(alert: Alert) -> dict[str, dict[str, object]]:
    """Everything dispatch sends, rendered once for this version."""
    with_marks, without_marks = sms_previews(alert)
    return {
        "sms": {"vi": with_marks.text, "vi_ascii": without_marks.text},
        "email": {"vi": email(alert)},
        "mqtt": {
            "vi": {
                "identifier": alert.identifier,
                "status": alert.status,
                "msg_type": alert.msg_type,
                "priority": alert.loudspeaker_priority,
                "headline": headline(alert),
                "script": loudspeaker_script(alert),
                "script_ascii": strip_diacritics(loudspeaker_script(alert)),
                "expires": alert.expires.isoformat(),
            }
        },
    }
