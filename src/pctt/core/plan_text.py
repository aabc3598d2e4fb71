"""Read a Party communication plan (kế hoạch) from its plain text into clauses.

Pure Python, no Django import.

The layout is the one Hướng dẫn 36-HD/VPTW gives every Party plan: a number line
(``Số 77-KH/ĐU``), the document type and its summary, a preamble naming the documents it
implements, Roman-numbered sections (I purposes, II content, III forms, IV who does what),
``Nơi nhận:`` and the signature block. Clauses get the ids the platform traces features to:
P1… (purposes), C1… (content themes), F1… (forms), U1… (duties, with items U1.1, U1.2…).

Text copied from a PDF or a word processor breaks paragraphs at page ends; a paragraph that
does not end a sentence is joined with the next one, so a clause is never cut in two.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Clause",
    "DocumentRef",
    "DutyGroup",
    "ParsedPlan",
    "PlanTextError",
    "Signature",
    "parse_plan",
]


class PlanTextError(ValueError):
    """The text is not laid out as a plan: says which part is missing."""


@dataclass(frozen=True)
class Clause:
    code: str
    text: str


@dataclass(frozen=True)
class DutyGroup:
    code: str
    title: str
    items: tuple[Clause, ...]


@dataclass(frozen=True)
class DocumentRef:
    """A document the plan cites: ``Kết luận số 213-KL/TW ngày 21/11/2025``."""

    kind: str
    number: str
    date: str  # as written, d/m/yyyy


@dataclass(frozen=True)
class Signature:
    authority: str  # "T/M BAN THƯỜNG VỤ"
    title: str  # "PHÓ BÍ THƯ"
    name: str


@dataclass
class ParsedPlan:
    number: str
    doc_type: str
    title: str
    preamble: str
    implements: list[DocumentRef]
    purposes: list[Clause] = field(default_factory=list)
    content_intro: str = ""
    themes: list[Clause] = field(default_factory=list)
    forms: list[Clause] = field(default_factory=list)
    duties: list[DutyGroup] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None


_SECTION = re.compile(r"^(I|II|III|IV|V|VI)\s*[-–.]\s*(.+)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.+)$", re.DOTALL)
_PARENTHESISED = re.compile(r"^\((\d+)\)\s*(.+)$", re.DOTALL)
_BULLET = re.compile(r"^[-–•]\s*(.+)$", re.DOTALL)
_NUMBER_LINE = re.compile(r"^Số\s+(\d+)\s*-\s*([A-ZĐ]+)\s*/\s*([A-ZĐa-zđ]+)$")
_REF = re.compile(
    r"(Kết luận|Kế hoạch|Chỉ thị|Hướng dẫn|Nghị quyết|Quyết định)\s+(?:số\s+)?"
    r"(\d+(?:-[A-ZĐ]+)?/[A-ZĐ]+)(?:\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4}))?"
)
_SENTENCE_END = (".", ":", "!", "?", "”", '"')
_SIGN_AUTHORITY = re.compile(r"^(T/M|TM\.|KT\.|TL\.|Q\.)\s*.+$")


def _paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs, with page-break splits joined back."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    raw = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    joined: list[str] = []
    for para in raw:
        if not para or para == "*":
            continue
        starts_lower = para[0].islower()
        # A heading in capitals ("KẾ HOẠCH") is never the first half of a sentence.
        previous_open = bool(joined) and not joined[-1].endswith(_SENTENCE_END)
        if previous_open and starts_lower and not joined[-1].isupper():
            joined[-1] = f"{joined[-1]} {para}"
        else:
            joined.append(para)
    return joined


def _refs(text: str) -> list[DocumentRef]:
    return [DocumentRef(m.group(1), m.group(2), m.group(3) or "") for m in _REF.finditer(text)]


def _implemented(title: str, preamble: str) -> list[DocumentRef]:
    """Documents named in the title, with the fuller symbol the preamble gives
    (titles often shorten ``54-KH/TU`` to ``54/TU``)."""
    known = _refs(preamble)
    result: list[DocumentRef] = []
    for ref in _refs(title):
        digits, issuer = ref.number.split("/")[0].split("-")[0], ref.number.split("/")[1]
        fuller = next(
            (
                k
                for k in known
                if k.kind == ref.kind
                and k.number.split("-")[0].split("/")[0] == digits
                and k.number.endswith("/" + issuer)
            ),
            ref,
        )
        chosen = DocumentRef(ref.kind, fuller.number, ref.date or fuller.date)
        if all(r.number != chosen.number for r in result):
            result.append(chosen)
    return result


def _split_sections(paras: list[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Head (before section I), sections by Roman numeral, tail (from ``Nơi nhận``)."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    tail: list[str] = []
    current: list[str] = head
    for para in paras:
        if para.startswith("Nơi nhận"):
            current = tail
        elif current is not tail and (m := _SECTION.match(para)) and m.group(2).isupper():
            current = sections.setdefault(m.group(1), [])
            continue
        current.append(para)
    return head, sections, tail


def _items(paras: list[str], pattern: re.Pattern[str], prefix: str) -> tuple[str, list[Clause]]:
    """Numbered items; paragraphs after an item belong to it; text before the first is intro."""
    intro: list[str] = []
    texts: list[list[str]] = []
    for para in paras:
        if m := pattern.match(para):
            texts.append([m.group(2)])
        elif texts:
            texts[-1].append(para)
        else:
            intro.append(para)
    clauses = [Clause(f"{prefix}{i}", "\n\n".join(t)) for i, t in enumerate(texts, start=1)]
    return "\n\n".join(intro), clauses


def _duties(paras: list[str]) -> list[DutyGroup]:
    groups: list[tuple[str, list[str]]] = []
    for para in paras:
        if m := _NUMBERED.match(para):
            groups.append((m.group(2), []))
        elif (m := _BULLET.match(para)) and groups:
            groups[-1][1].append(m.group(1).removesuffix("./.").strip())
        elif groups and groups[-1][1]:
            groups[-1][1][-1] += "\n\n" + para
    return [
        DutyGroup(
            f"U{g}",
            title,
            tuple(Clause(f"U{g}.{i}", text) for i, text in enumerate(items, start=1)),
        )
        for g, (title, items) in enumerate(groups, start=1)
    ]


def _tail(lines: list[str]) -> tuple[list[str], Signature | None]:
    recipients: list[str] = []
    signature_lines: list[str] = []
    for para in lines:
        for line in para.split("\n"):
            line = line.strip()
            if not line or line.startswith("Nơi nhận"):
                continue
            if signature_lines or _SIGN_AUTHORITY.match(line):
                signature_lines.append(line)
            elif m := _BULLET.match(line):
                recipients.append(m.group(1).strip())
    if len(signature_lines) < 3:
        return recipients, None
    return recipients, Signature(signature_lines[0], signature_lines[1], signature_lines[-1])


def parse_plan(text: str) -> ParsedPlan:
    """Parse the plan; raise :class:`PlanTextError` naming what is missing."""
    # Recipients are one per line, not per paragraph: keep their line breaks apart.
    body, sep, after = text.partition("Nơi nhận")
    paras = _paragraphs(body)
    head, sections, _ = _split_sections(paras)
    tail_lines = [unicodedata.normalize("NFC", line) for line in (sep + after).splitlines()]

    number_match = next((m for p in head if (m := _NUMBER_LINE.match(p))), None)
    if number_match is None:
        raise PlanTextError("no number line such as 'Số 77-KH/ĐU'")
    number = f"{number_match.group(1)}-{number_match.group(2)}/{number_match.group(3)}"
    after_number = head[head.index(number_match.group(0)) + 1 :]
    if len(after_number) < 2:
        raise PlanTextError("no document type and summary after the number")
    doc_type, title, *rest = after_number
    preamble = "\n\n".join(rest)
    for roman in ("I", "II", "III", "IV"):
        if roman not in sections:
            raise PlanTextError(f"section {roman} is missing")

    _, purposes = _items(sections["I"], _NUMBERED, "P")
    content_intro, themes = _items(sections["II"], _PARENTHESISED, "C")
    _, forms = _items(sections["III"], _NUMBERED, "F")
    recipients, signature = _tail(tail_lines)
    return ParsedPlan(
        number=number,
        doc_type=doc_type,
        title=title,
        preamble=preamble,
        implements=_implemented(title, preamble),
        purposes=purposes,
        content_intro=content_intro,
        themes=themes,
        forms=forms,
        duties=_duties(sections["IV"]),
        recipients=recipients,
        signature=signature,
    )
