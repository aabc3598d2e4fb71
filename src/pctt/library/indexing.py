"""Keeping the search indexes in step with the library.

Two indexes with the same engine: the portal's (``library_search``: live, public pages, what
residents find) and the back office's (``library_admin_search``: every library page as its
latest revision reads, drafts included, what editors find).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pctt.library.models import PAGE_TYPES, LibraryPage
from pctt.library.search.backends import IndexDoc, backend_for
from pctt.library.search.engine import SearchEngine, make_doc

ADMIN_INDEX = "library_admin_search"


def doc_for(page: LibraryPage) -> IndexDoc:
    return make_doc(page.pk, page.title, page.body_text(), page.search_tags())


def index_pages(pages: Iterable[LibraryPage]) -> int:
    pages = list(pages)
    index_drafts(pages)
    return SearchEngine(backend_for()).index(doc_for(p) for p in pages)


def index_drafts(pages: Iterable[LibraryPage]) -> int:
    """Pages (as their latest revision reads) into the back office's index."""
    return SearchEngine(backend_for(ADMIN_INDEX)).index(doc_for(p) for p in pages)


def index_revision(revision: Any) -> None:
    model = revision.content_type.model_class()
    if model is not None and issubclass(model, LibraryPage):
        page = revision.as_object()
        if page.pk:
            index_drafts([page])


def unindex(page_ids: Iterable[int]) -> None:
    backend_for().delete(list(page_ids))


def unindex_everywhere(page_ids: Iterable[int]) -> None:
    ids = list(page_ids)
    backend_for().delete(ids)
    backend_for(ADMIN_INDEX).delete(ids)


def reindex_all() -> int:
    """Every live library page into the portal's index and every library page (latest
    revision) into the back office's; what `pctt search reindex` runs after a restore."""
    count = 0
    for model in PAGE_TYPES:
        count += SearchEngine(backend_for()).index(
            doc_for(p)
            for p in model.objects.live()
            .public()
            .prefetch_related("themes", "hazards", "audiences")
        )
    reindex_drafts()
    return count


def reindex_drafts() -> int:
    count = 0
    for model in PAGE_TYPES:
        pages = model.objects.all()
        count += index_drafts(p.get_latest_revision_as_object() for p in pages)
    return count
