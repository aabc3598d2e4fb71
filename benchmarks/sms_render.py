"""Benchmark: render 1,000,000 personalised warning SMS, with and without diacritics, and count
their segments.

Each recipient has a name (10 family names x 400 middle-and-given names), a residential group
(one of 20) and that group's shelter: at most 80,000 variants (distinct sets of placeholder
values).

Compared, in the same run:

* **rendered**: the template and every placeholder value are stripped of diacritics once; each
  message is two ``str.format`` calls, and ``analyse`` runs once per variant (distinct set of
  placeholder values) for both forms, its segment count looked up in a dict afterwards;
* **baseline**: per message, ``str.format``, ``strip_diacritics`` of the body, and ``analyse`` of
  both forms — on a 50,000-message sample, extrapolated to 1,000,000.

Both give the same segment counts on the sample (checked). Prints one JSON line.
Run: ``uv run python benchmarks/sms_render.py``.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass

from pctt.core.sms import analyse
from pctt.core.text import strip_diacritics

MESSAGES = 1_000_000
BASELINE_SAMPLE = 50_000
TEMPLATE_VI = (
    "[UBND phường] {name} thân mến: sông Hồng vượt báo động 2 lúc 17h. "
    "Hộ gia đình ở {group} di chuyển đến {shelter} trước 19h. Gọi 112 nếu cần."
)
TEMPLATE_ASCII = strip_diacritics(TEMPLATE_VI)  # once per template, not once per message
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Bảo"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Oanh", "Phúc",
         "Quý", "Sơn", "Tâm", "Thảo", "Trung", "Tú", "Uyên", "Việt", "Xuân", "Yến", "Đông",
         "Hạnh", "Khoa", "Linh", "Long", "Nga", "Nhung", "Phương", "Thắng", "Tuấn", "Vân",
         "Hiếu", "Hoa", "Kiên", "Lộc", "Ngân", "Quyên", "Trâm"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    group: str
    shelter: str


def recipients(rng: random.Random) -> list[Recipient]:
    names = [f"{m} {g}" for m in MIDDLE for g in GIVEN]  # 400 given names
    groups = [(f"tổ dân phố {n}", f"Trường THCS số {1 + n % 4}") for n in range(1, 21)]
    people = []
    for _ in range(MESSAGES):
        group, shelter = rng.choice(groups)
        people.append(Recipient(f"{rng.choice(FAMILY)} {rng.choice(names)}", group, shelter))
    return people


def rendered(people: list[Recipient]) -> tuple[float, int, int]:
    """Seconds, total segments of both forms, variants analysed.

    A variant is one set of placeholder values: the bodies are a function of it, so its two
    bodies are analysed the first time it is seen and the segment counts reused afterwards.
    """
    started = time.perf_counter()
    ascii_values: dict[str, str] = {}

    def plain(value: str) -> str:
        if value not in ascii_values:
            ascii_values[value] = strip_diacritics(value)
        return ascii_values[value]

    segments_of: dict[tuple[str, str, str], int] = {}
    total = 0
    for person in people:
        variant = (person.name, person.group, person.shelter)
        with_marks = TEMPLATE_VI.format(
            name=person.name, group=person.group, shelter=person.shelter
        )
        without = TEMPLATE_ASCII.format(
            name=plain(person.name), group=plain(person.group), shelter=plain(person.shelter)
        )
        segments = segments_of.get(variant)
        if segments is None:
            segments = segments_of[variant] = (
                analyse(with_marks).segments + analyse(without).segments
            )
        total += segments
    return time.perf_counter() - started, total, len(segments_of)


def baseline(people: list[Recipient]) -> tuple[float, int]:
    started = time.perf_counter()
    total = 0
    for person in people:
        body = TEMPLATE_VI.format(name=person.name, group=person.group, shelter=person.shelter)
        total += analyse(body).segments + analyse(strip_diacritics(body)).segments
    return time.perf_counter() - started, total


def main() -> None:
    people = recipients(random.Random(20260915))
    fast_s, fast_segments, variants = rendered(people)
    sample = people[:BASELINE_SAMPLE]
    sample_s, sample_segments = baseline(sample)
    _, fast_sample_segments, _ = rendered(sample)
    assert sample_segments == fast_sample_segments, "the two methods disagree"
    baseline_s = sample_s * MESSAGES / BASELINE_SAMPLE
    print(
        json.dumps(
            {
                "benchmark": "sms_render",
                "messages": MESSAGES,
                "forms": ["with diacritics", "without diacritics"],
                "variants_analysed": variants,
                "rendered_s": round(fast_s, 3),
                "rendered_msgs_per_s": round(MESSAGES / fast_s),
                "segments_total": fast_segments,
                "baseline_sample": BASELINE_SAMPLE,
                "baseline_sample_s": round(sample_s, 3),
                "baseline_s_extrapolated": round(baseline_s, 3),
                "baseline_msgs_per_s": round(BASELINE_SAMPLE / sample_s),
                "ratio": round(baseline_s / fast_s, 2),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
