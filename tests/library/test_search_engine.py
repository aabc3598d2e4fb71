"""The engine residents search with (FTS5 on SQLite, full-text on PostgreSQL), on a small corpus."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pctt.core.search_text import QueryError, Synonyms
from pctt.library.search.backends import backend_for
from pctt.library.search.engine import SearchEngine, current_synonyms, make_doc

DATA = Path(__file__).resolve().parent / "data"
DOCS = {
    1: ("Khi có lũ quét: làm gì ngay", "Di chuyển lên chỗ cao, rời xa suối và khe núi."),
    2: ("Phòng chống đuối nước cho trẻ em", "Không để trẻ chơi gần ao hồ, sông suối."),
    3: ("Trú ẩn khi dông sét", "Vào nhà kiên cố, không trú dưới gốc cây."),
    4: ("Chính sách hỗ trợ", "Nhà bị sập do lũ quét được xem xét hỗ trợ."),
    5: ("Đê điều và hồ chứa", "Kiểm tra đê trước mùa lũ."),
}


@pytest.fixture
def engine(db: None) -> Iterator[SearchEngine]:
    backend = backend_for("library_test_index")
    backend.create()
    engine = SearchEngine(backend, current_synonyms())
    engine.index(
        make_doc(pk, title, body, [f"kind:{'guidance' if pk < 4 else 'policy'}"])
        for pk, (title, body) in DOCS.items()
    )
    yield engine
    backend.drop()


def ids(engine: SearchEngine, query: str, **kwargs: object) -> list[int]:
    return [hit.id for hit in engine.search(query, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", ["lũ quét", "lu quet", "LŨ QUÉT", "lũ ống", "lu ong", "lu qeut", "luquet"]
)
def test_residents_find_flash_flood_guidance_however_they_type(
    engine: SearchEngine, query: str
) -> None:
    assert ids(engine, query)[0] == 1


def test_title_matches_rank_above_body_matches(engine: SearchEngine) -> None:
    assert ids(engine, "lũ quét")[:2] == [1, 4]


@pytest.mark.parametrize(("query", "expected"), [("chết đuối", 2), ("giông", 3), ("de dieu", 5)])
def test_colloquial_synonyms_and_d_with_stroke(
    engine: SearchEngine, query: str, expected: int
) -> None:
    assert ids(engine, query)[0] == expected


def test_filters_narrow_results_by_tag(engine: SearchEngine) -> None:
    assert ids(engine, "lũ quét", tags=["kind:policy"]) == [4]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "lũ AND OR NOT",
        "title:*",
        "(((",
        "NEAR(a b)",
        "'; DROP TABLE x; --",
        "a* ^b",
        "-lũ",
        "\x00",
    ],
)
def test_query_syntax_typed_by_residents_never_reaches_the_engine(
    engine: SearchEngine, query: str
) -> None:
    with contextlib.suppress(QueryError):
        engine.search(query)


def test_synonym_sets_added_by_officials_are_used(engine: SearchEngine) -> None:
    from pctt.library.models import SynonymSet

    SynonymSet.objects.create(phrases="nước rút, chỗ cao")
    fresh = SearchEngine(engine.backend, current_synonyms())
    assert isinstance(fresh.synonyms, Synonyms)
    assert ids(fresh, "nuoc rut")[0] == 1


@pytest.mark.django_db
def test_search_eval_prints_the_four_figures_on_our_set() -> None:
    out = StringIO()
    call_command(
        "search",
        "eval",
        "--corpus",
        str(DATA / "corpus.jsonl"),
        "--queries",
        str(DATA / "queries.jsonl"),
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    assert set(figures) == {"mrr@10", "recall@10", "p95_ms", "queries"}
    assert figures["queries"] == 50
    assert figures["mrr@10"] >= 0.8
    assert figures["recall@10"] >= 0.85


def test_a_word_in_most_documents_does_not_change_the_ranking_it_is_left_out_of(
    db: None,
) -> None:
    """ "nha" is in every document: leaving it out of the wide query (to save time) must give
    the ranking the whole query gives, and a word of the storm family still counts."""
    from pctt.library.search.backends import Fts5Backend

    backend = backend_for("library_test_prune")
    if not isinstance(backend, Fts5Backend):
        pytest.skip("pruning is SQLite's")
    backend.create()
    try:
        engine = SearchEngine(backend, current_synonyms())
        texts = [f"nhà số {n} ở tổ {n % 7}" for n in range(40)]
        texts[5] = "Nhà chằng chống trước bão"
        texts[9] = "Chằng chống mái nhà"
        engine.index(make_doc(n, t, "nhà cửa") for n, t in enumerate(texts, start=1))
        parsed = engine.parse("nha chang chong bao")
        whole = backend._ranked(parsed, (), 3, every=False)
        assert [hit.id for hit in backend.query(parsed, (), 3)] == [hit.id for hit in whole]
        assert [hit.id for hit in whole][:2] == [6, 10]
        # Too few documents without the common word: the whole query answers.
        assert len(backend.query(engine.parse("nha chang"), (), 10)) == 10
    finally:
        backend.drop()


def test_document_counts_follow_replaced_and_deleted_documents(db: None) -> None:
    from pctt.library.search.backends import Fts5Backend, prune_common

    backend = backend_for("library_test_counts")
    if not isinstance(backend, Fts5Backend):
        pytest.skip("document counts are SQLite's")
    backend.create()
    try:
        engine = SearchEngine(backend)
        engine.index(
            [make_doc(1, "lũ quét", "lũ"), make_doc(2, "lũ sông", ""), make_doc(3, "sét", "")]
        )
        assert backend.document_counts(["lu", "quet", "set", "khong"]) == (
            3,
            {"lu": 2, "quet": 1, "set": 1},
        )
        engine.index([make_doc(1, "sạt lở", "")])  # the same page, edited
        engine.remove([2])
        total, counts = backend.document_counts(["lu", "sat", "set"])
        assert (total, counts) == (2, {"lu": 0, "sat": 1, "set": 1})
        parsed = engine.parse("sat lu")
        assert prune_common(parsed, counts, total) is None  # nothing in more than half
        assert prune_common(parsed, {"sat": 2}, total) is not None
    finally:
        backend.drop()


def test_bao_is_a_storm_not_a_question_word(engine: SearchEngine) -> None:
    first = engine.parse("bão làm sập nhà").groups[0]
    assert first.alternatives[0] == ("bao",)
