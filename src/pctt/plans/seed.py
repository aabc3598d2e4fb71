"""Load a plan from its text (the demo ward's own plan 77-KH/ĐU ships in `data/`).

The text is parsed by `pctt.core.plan_text`; short labels for dashboards and the organisation
kinds each duty group names are data here, because the text does not say them in a word.
"""

from __future__ import annotations

from importlib import resources

from django.db import transaction

from pctt.areas.models import AdminUnit
from pctt.core.plan_text import ParsedPlan, parse_plan
from pctt.plans.models import Clause, Organisation, PeriodicTask, Plan

SEED_FILE = "77-KH-DU.txt"
ISSUER = "Ban Thường vụ Đảng ủy phường"

LABELS: dict[str, str] = {
    "P1": "Thống nhất nhận thức, nâng cao trách nhiệm",
    "P2": "Chuyển biến từ nhận thức đến hành động",
    "P3": "Dễ hiểu, dễ nhớ, dễ thực hiện; kết hợp trực tiếp và nền tảng số",
    "C1": "Tầm quan trọng; chủ động phòng ngừa là chính",
    "C2": "Vai trò lãnh đạo, trách nhiệm người đứng đầu",
    "C3": "Chủ trương, chính sách, pháp luật về phòng, chống thiên tai",
    "C4": "Kiến thức, kỹ năng; gương người tốt, việc tốt",
    "C5": "Khoa học, công nghệ, chuyển đổi số, cảnh báo sớm",
    "C6": "Hợp tác quốc tế, thích ứng biến đổi khí hậu",
    "C7": "Đấu tranh phản bác thông tin sai trái",
    "F1": "Cổng thông tin, nền tảng số, truyền thanh cơ sở",
    "F2": "Sinh hoạt chi bộ, đoàn thể; hội nghị, tập huấn",
    "F3": "Trực quan, tờ rơi, hỏi - đáp, bản tin, video, infographic",
    "F4": "Tuyên truyền cao điểm mùa thiên tai",
}

#: Which organisations each duty group (section IV) assigns work to.
DUTY_ORGANISATIONS: dict[str, list[str]] = {
    "U1": [Organisation.Kind.PARTY_BUILDING_BOARD],
    "U2": [Organisation.Kind.PEOPLES_COMMITTEE],
    "U3": [
        Organisation.Kind.FATHERLAND_FRONT,
        Organisation.Kind.YOUTH_UNION,
        Organisation.Kind.WOMENS_UNION,
        Organisation.Kind.FARMERS_ASSOCIATION,
        Organisation.Kind.VETERANS_ASSOCIATION,
    ],
    "U4": [Organisation.Kind.PARTY_CELL],
}

#: The recurring work the duties imply: (duty item, organisation kind, task, recurrence,
#: activity kinds that fulfil it). The plan says "regularly" (thường xuyên, P3) and "peak
#: communication in the disaster season" (F4); the ward turns that into these tasks.
TASKS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "U1.1",
        "party_building_board",
        "Tổng hợp, báo cáo kết quả tuyên truyền hằng tháng",
        "monthly",
        [],
    ),
    (
        "U2.2",
        "peoples_committee",
        "Phát chương trình phòng, chống thiên tai trên đài truyền thanh",
        "monthly",
        ["loudspeaker"],
    ),
    (
        "U2.1",
        "peoples_committee",
        "Diễn tập, tập huấn kỹ năng trước mùa mưa bão",
        "before_season",
        ["drill", "training"],
    ),
    (
        "U3.1",
        "womens_union",
        "Sinh hoạt chuyên đề phòng, chống thiên tai cho hội viên",
        "quarterly",
        [],
    ),
    (
        "U3.1",
        "youth_union",
        "Đăng tin, bài trên mạng xã hội chính thống",
        "monthly",
        ["social_post"],
    ),
    (
        "U3.2",
        "fatherland_front",
        "Tuyên truyền, vận động Nhân dân tham gia phòng, chống thiên tai",
        "quarterly",
        [],
    ),
    (
        "U3.2",
        "farmers_association",
        "Phát tờ rơi kỹ năng bảo vệ sản xuất trước mùa mưa bão",
        "before_season",
        ["leaflets", "door_to_door"],
    ),
    (
        "U3.2",
        "veterans_association",
        "Tham gia diễn tập, hỗ trợ sơ tán",
        "before_season",
        ["drill"],
    ),
    (
        "U4.1",
        "party_cell",
        "Quán triệt Kế hoạch trong sinh hoạt chi bộ",
        "quarterly",
        ["party_cell_meeting"],
    ),
    (
        "U2.1",
        "peoples_committee",
        "Cảnh báo kịp thời khi có thiên tai",
        "during_disaster",
        ["warning"],
    ),
]


def seed_text() -> str:
    return resources.files("pctt.plans").joinpath("data", SEED_FILE).read_text(encoding="utf-8")


def _higher_documents(parsed: ParsedPlan) -> list[Plan]:
    plans = []
    for ref in parsed.implements:
        plan, _ = Plan.objects.get_or_create(
            number=ref.number,
            defaults={"kind": ref.kind, "title": f"{ref.kind} số {ref.number} ngày {ref.date}"},
        )
        plans.append(plan)
    return plans


@transaction.atomic
def load_plan(text: str, *, ward: AdminUnit, issuer: str = ISSUER) -> Plan:
    """Create or refresh the ward's plan from its text and mark it current. Idempotent:
    clauses are matched by code, so activities keep pointing at the same rows."""
    parsed = parse_plan(text)
    plan, _ = Plan.objects.update_or_create(
        number=parsed.number,
        defaults={
            "ward": ward,
            "kind": parsed.doc_type.capitalize(),
            "issuer": issuer,
            "title": parsed.title,
            "preamble": parsed.preamble,
            "recipients": parsed.recipients,
            "signature_authority": parsed.signature.authority if parsed.signature else "",
            "signature_title": parsed.signature.title if parsed.signature else "",
            "signature_name": parsed.signature.name if parsed.signature else "",
            "is_current": True,
        },
    )
    Plan.objects.filter(ward=ward, is_current=True).exclude(pk=plan.pk).update(is_current=False)
    plan.implements.set(_higher_documents(parsed))
    position = 0

    def put(code: str, kind: str, text: str, label: str, **extra: object) -> Clause:
        nonlocal position
        position += 1
        clause, _ = Clause.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={
                "kind": kind,
                "text": text,
                "label": label[:200],
                "position": position,
                **extra,
            },
        )
        return clause

    for group, kind in (
        (parsed.purposes, "purpose"),
        (parsed.themes, "theme"),
        (parsed.forms, "form"),
    ):
        for clause in group:
            put(clause.code, kind, clause.text, LABELS.get(clause.code, clause.text[:80]))
    duties: dict[str, Clause] = {}
    for duty in parsed.duties:
        head = put(
            duty.code,
            "duty",
            duty.title,
            duty.title,
            parent=None,
            organisation_kinds=DUTY_ORGANISATIONS.get(duty.code, []),
        )
        duties[duty.code] = head
        for item in duty.items:
            duties[item.code] = put(item.code, "duty", item.text, item.text[:120], parent=head)
    if not plan.tasks.exists():
        PeriodicTask.objects.bulk_create(
            PeriodicTask(
                plan=plan,
                duty=duties.get(code),
                organisation_kind=org_kind,
                title=title,
                recurrence=recurrence,
                activity_kinds=kinds,
            )
            for code, org_kind, title, recurrence, kinds in TASKS
        )
    return plan


def load_seed_plan(ward: AdminUnit) -> Plan:
    return load_plan(seed_text(), ward=ward)
