"""Demo content: a few fictional submissions and two published corrections of typical
rumours (written for this project; the ward and everything in it are fictional)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pctt.areas.models import AdminUnit
from pctt.community import actions
from pctt.community.models import Claim, ClaimVariant, Evidence, Kind, Source, Submission, Verdict

SUBMISSIONS = [
    (
        Kind.QUESTION,
        "Khi có lệnh sơ tán thì gia đình có người già nằm liệt giường được hỗ trợ thế nào?",
        1,
    ),
    (Kind.QUESTION, "Điểm sơ tán của tổ dân phố 3 là ở đâu ạ?", 3),
    (
        Kind.CONCERN,
        "Cống thoát nước đầu ngõ 12 bị rác làm tắc, mưa to là ngập. "
        "Đề nghị phường cho nạo vét trước mùa mưa.",
        2,
    ),
    (Kind.HAZARD, "Bờ kè sông Cái đoạn gần bến đò có vết nứt dài khoảng 3 mét.", 5),
    (
        Kind.CLAIM,
        "Nghe nói đêm nay thủy điện thượng nguồn xả lũ khẩn cấp, cả phường phải sơ tán ngay.",
        None,
    ),
    (
        Kind.CLAIM,
        "Tin nhắn báo nhận 10GB data miễn phí cho vùng lũ, chỉ cần bấm vào đường link.",
        None,
    ),
]

CORRECTIONS = [
    {
        "slug": "tin-gia-thuy-dien-xa-lu-khan-cap",
        "wording": "Thủy điện thượng nguồn sẽ xả lũ khẩn cấp trong đêm, "
        "toàn phường phải sơ tán ngay.",
        "variants": ["Đập thủy điện sắp vỡ, xả hết nước trong đêm nay!"],
        "channels": ["messaging", "word_of_mouth"],
        "title": "Không có thông báo xả lũ khẩn cấp nào của thủy điện thượng nguồn",
        "facts": "Ban Chỉ huy phòng thủ dân sự phường đã kiểm tra với đơn vị vận hành hồ chứa: "
        "không có quyết định xả lũ khẩn cấp. Mọi thông báo xả lũ chính thức được gửi qua loa "
        "truyền thanh phường, tin nhắn cảnh báo và cổng thông tin này.",
        "short": "PCTT: Tin thuy dien xa lu khan cap dem nay la SAI. Chi tin thong bao chinh thuc "
        "cua phuong qua loa, tin nhan canh bao va cong thong tin.",
        "evidence": (
            Evidence.Kind.OFFICIAL_SOURCE,
            "Xác nhận của đơn vị vận hành hồ chứa (hư cấu).",
        ),
    },
    {
        "slug": "tin-nhan-tang-data-mien-phi-vung-lu-la-lua-dao",
        "wording": "Nhà mạng tặng 10GB data miễn phí cho người dân vùng lũ, bấm vào link để nhận.",
        "variants": ["Hỗ trợ vùng lũ: nhận 20GB miễn phí, nhập mã OTP để kích hoạt."],
        "channels": ["sms", "social"],
        "title": 'Tin nhắn "tặng data miễn phí cho vùng lũ" là lừa đảo',
        "facts": "Các nhà mạng không yêu cầu bấm đường link lạ hay cung cấp mã OTP để nhận hỗ trợ. "
        "Không bấm vào đường link, không gửi mã OTP cho bất kỳ ai.",
        "short": "PCTT: Tin nhan tang data mien phi vung lu la LUA DAO. "
        "Khong bam link, khong gui ma OTP.",
        "evidence": (
            Evidence.Kind.OFFICIAL_SOURCE,
            "Khuyến cáo của nhà mạng về tin nhắn giả mạo (hư cấu).",
        ),
    },
]


def load(ward: AdminUnit) -> None:
    if Submission.objects.exists() or Claim.objects.exists():
        return
    groups = {g.code: g.pk for g in AdminUnit.objects.groups().filter(parent=ward)}
    for kind, text, group in SUBMISSIONS:
        actions.receive(
            actions.Intake(
                kind=kind,
                source=Source.PORTAL,
                text=text,
                residential_group_id=groups.get(f"DEMO-TDP-{group:02d}") if group else None,
            )
        )
    now = timezone.now()
    for index, spec in enumerate(CORRECTIONS):
        claim = Claim.objects.create(
            wording=spec["wording"],
            slug=spec["slug"],
            first_seen=timezone.localdate() - timedelta(days=10 - index),
            channels=spec["channels"],
            verdict=Verdict.FALSE,
            verified_at=now,
            title=spec["title"],
            facts=spec["facts"],
            short_text=spec["short"],
            published_at=now - timedelta(days=5 - index),
        )
        for wording in spec["variants"]:
            ClaimVariant.objects.create(claim=claim, wording=wording)
        evidence_kind, description = spec["evidence"]
        Evidence.objects.create(claim=claim, kind=evidence_kind, description=description)
