"""The demo's starter library: enough pages of every type and theme, published and searchable."""

from __future__ import annotations

import time
from typing import Any

import pytest

from pctt.library.models import PAGE_TYPES, LibraryPage, Theme


@pytest.mark.django_db
def test_demo_library_has_every_page_type_and_theme(library: Any) -> None:
    pages = [p.specific for p in library.get_children().live()]
    assert len(pages) >= 30
    assert {type(p) for p in pages} == set(PAGE_TYPES)
    themes = {t.code for p in pages if isinstance(p, LibraryPage) for t in p.themes.all()}
    assert (
        themes
        == set(Theme.objects.values_list("code", flat=True))
        == {f"C{n}" for n in range(1, 8)}
    )


@pytest.mark.django_db
def test_demo_library_load_is_idempotent_and_fast(library: Any, demo_ward: Any) -> None:
    from pctt.library import demo

    count = library.get_children().count()
    started = time.monotonic()
    demo.load(demo_ward)
    assert time.monotonic() - started < 10
    assert library.get_children().count() == count
