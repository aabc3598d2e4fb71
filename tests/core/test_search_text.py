"""Vietnamese query parsing for search: folding, synonyms, typos, hostile input."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.core.search_text import (
    MAX_QUERY_CHARS,
    QueryError,
    Synonyms,
    edits1,
    parse_query,
    search_key,
)

SYNONYMS = Synonyms.from_lines(
    ["lũ ống, lũ quét  # colloquial", "giông, dông", "chết đuối, đuối nước"]
)


@pytest.mark.parametrize(
    "written",
    ["Lũ quét", "lu quet", "LŨ QUÉT", unicodedata.normalize("NFD", "lũ quét"), "lũ  quét!"],
)
def test_every_way_of_typing_gives_the_same_key(written: str) -> None:
    assert search_key(written) == "lu quet"


def test_d_with_stroke_and_tone_placement_fold_alike() -> None:
    assert search_key("Đê điều") == "de dieu"
    assert search_key("thuỷ điện") == search_key("thủy điện") == "thuy dien"


def test_synonym_phrases_become_alternatives_of_one_group() -> None:
    parsed = parse_query("lu ong o dau", synonyms=SYNONYMS)
    assert parsed.groups[0].alternatives == (("lu", "ong"), ("lu", "quet"))
    assert ("dau",) in parsed.groups[1].alternatives


def test_question_words_are_dropped_but_never_the_whole_query() -> None:
    assert [g.alternatives[0] for g in parse_query("chết đuối thì làm gì").groups] == [
        ("chet",),
        ("duoi",),
    ]
    assert parse_query("là gì").groups  # only stopwords: kept as typed


def test_unknown_token_is_corrected_to_known_neighbours() -> None:
    vocabulary = {"quet", "set", "danh", "sat", "lo"}

    def known(candidates: object) -> set[str]:
        return vocabulary & set(candidates)  # type: ignore[call-overload]

    parsed = parse_query("lu qeut", known=known)
    assert ("quet",) in parsed.groups[1].alternatives
    assert ("sat", "lo") in parse_query("satlo", known=known).groups[0].alternatives


@pytest.mark.parametrize("text", ["", "   ", "?!", '""', "x" * (MAX_QUERY_CHARS + 1)])
def test_empty_or_huge_queries_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(QueryError):
        parse_query(text)


@given(st.text(max_size=200))
def test_any_text_parses_to_letters_and_digits_only_or_a_query_error(text: str) -> None:
    try:
        parsed = parse_query(text, synonyms=SYNONYMS)
    except QueryError:
        return
    for token in parsed.terms:
        assert token and all(ch.isalnum() for ch in token)


def test_edits1_covers_the_four_kinds_of_typo() -> None:
    edits = edits1("quet")
    assert {"qet", "qeut", "quat", "queet"} <= edits
    assert "quet" not in edits
