"""Find a commune/ward in the official list as an official types it, with or without marks."""

from __future__ import annotations

from dataclasses import dataclass

from pctt.areas.models import AdminUnit
from pctt.core.text import fold
from pctt.onboarding.steps import DEMO_WARD_CODE

MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    pk: int
    code: str
    name: str
    province: str


def search(query: str, *, limit: int = 20) -> list[Hit]:
    """Communes/wards whose name (with the province) contains every word typed.

    "ben thanh", "Bến Thành", "bến thành hồ chí minh" and the official code "26740" all find
    Phường Bến Thành. Exact name starts come first. An empty query finds nothing.
    """
    words = fold(query[:MAX_QUERY]).split()
    if not words:
        return []
    rows = (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE)
        .exclude(code=DEMO_WARD_CODE)
        .values_list("pk", "code", "name", "parent__name")
    )
    scored: list[tuple[int, str, Hit]] = []
    for pk, code, name, province in rows:
        hit = Hit(pk, code, name, province or "")
        if words == [code]:
            return [hit]
        name_key = fold(name)
        haystack = f"{name_key} {fold(province or '')}"
        if all(word in haystack for word in words):
            bare = name_key.split(" ", 1)[-1]  # without "phuong"/"xa"
            rank = 0 if bare.startswith(" ".join(words)) else 1
            scored.append((rank, name_key, hit))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [hit for _rank, _key, hit in scored[:limit]]
