"""Keeping the search index in step with what is published."""

from __future__ import annotations

from collections.abc import Iterable

from pctt.library.models import PAGE_TYPES, LibraryPage
from pctt.library.search.backends import IndexDoc, backend_for
from pctt.library.search.engine import SearchEngine, make_doc


def doc_for(page: LibraryPage) -> IndexDoc:
    return make_doc(page.pk, page.title, page.body_text(), page.search_tags())


def index_pages(pages: Iterable[LibraryPage]) -> int:
    return SearchEngine(backend_for()).index(doc_for(p) for p in pages)


def unindex(page_ids: Iterable[int]) -> None:
    backend_for().delete(list(page_ids))


def reindex_all() -> int:
    """Every live library page; what `pctt search reindex` runs after an import or restore."""
    count = 0
    for model in PAGE_TYPES:
        count += index_pages(
            model.objects.live().public().prefetch_related("themes", "hazards", "audiences")
        )
    return count
