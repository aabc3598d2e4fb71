"""SMS keywords residents text to the ward's number. Pure Python (no Django).

``HOI <question>``, ``YK <concern or wish>``, ``BAO <hazard seen>``, ``TIN <rumour seen>``;
``XOA <reference>`` deletes the number kept for an answer. Case and diacritics are ignored
("Hỏi", "hoi", "HỎI"). They cannot collide with the dispatch replies (``STOP``/``HUY``…, a
six-digit code), which are checked first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pctt.core.text import fold

KEYWORDS: dict[str, str] = {
    "hoi": "question",
    "yk": "concern",
    "y kien": "concern",
    "bao": "hazard",
    "tin": "claim",
}
DELETE_WORD = "xoa"
_REFERENCE = re.compile(r"^[A-Za-z0-9]{8}$")


@dataclass(frozen=True)
class Keyword:
    action: str  # "submit" | "delete"
    kind: str = ""
    text: str = ""
    reference: str = ""


def parse(message: str) -> Keyword | None:
    """What an SMS asks for, or None when it is not for residents' voice."""
    stripped = message.strip()
    if not stripped:
        return None
    words = stripped.split(None, 2)
    first = fold(words[0])
    if first == DELETE_WORD and len(words) == 2 and _REFERENCE.match(words[1]):
        return Keyword("delete", reference=words[1].upper())
    two = fold(" ".join(words[:2])) if len(words) >= 2 else ""
    if two in KEYWORDS:
        rest = stripped.split(None, 2)[2] if len(words) == 3 else ""
        return Keyword("submit", KEYWORDS[two], rest.strip()) if rest.strip() else None
    if first in KEYWORDS:
        rest = stripped.split(None, 1)[1] if len(words) >= 2 else ""
        return Keyword("submit", KEYWORDS[first], rest.strip()) if rest.strip() else None
    return None
