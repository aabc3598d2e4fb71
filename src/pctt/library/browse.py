"""Listing the library with filters by theme, hazard, audience and page type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wagtail.models import Page

from pctt.library.models import PAGE_TYPES, LibraryPage


@dataclass(frozen=True)
class Filters:
    theme: str = ""
    hazard: str = ""
    audience: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        # Codes are short identifiers; anything else is ignored rather than echoed back.
        def clean(name: str) -> str:
            value = str(params.get(name, ""))[:32]
            return value if value.replace("_", "").isalnum() else ""

        return cls(clean("theme").lower(), clean("hazard"), clean("audience"), clean("kind"))

    def tags(self) -> list[str]:
        """The same filters as search-index tags (see LibraryPage.search_tags)."""
        pairs = [
            ("theme", self.theme),
            ("hazard", self.hazard),
            ("audience", self.audience),
            ("kind", self.kind),
        ]
        return [f"{name}:{value}" for name, value in pairs if value]


def filtered_pages(index: Page, filters: Filters) -> list[LibraryPage]:
    pages: list[LibraryPage] = []
    for model in PAGE_TYPES:
        if filters.kind and model._meta.model_name != filters.kind:
            continue
        queryset = model.objects.live().public().child_of(index)
        if filters.theme:
            queryset = queryset.filter(themes__code__iexact=filters.theme)
        if filters.hazard:
            queryset = queryset.filter(hazards__code=filters.hazard)
        if filters.audience:
            queryset = queryset.filter(audiences__code=filters.audience)
        pages.extend(queryset.distinct())
    pages.sort(key=lambda p: (p.first_published_at is None, p.first_published_at), reverse=True)
    return pages
