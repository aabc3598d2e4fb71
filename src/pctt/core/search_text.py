"""Vietnamese search keys and query parsing: the pure half of the library's search.

Pure Python, no Django import. Documents and queries go through the same :func:`search_key`
(:func:`pctt.core.text.fold`: no case, no diacritics, ``đ`` -> ``d``, NFC/NFD and tone-mark
placement insensitive), so a resident typing "lu quet" finds "lũ quét".

A query becomes a :class:`ParsedQuery`: groups of alternatives, each alternative a phrase of
folded tokens. Only letters and digits survive folding, so no search-engine operator, quote or
bracket a user types can reach the database engine; each backend renders the groups in its own
syntax from tokens it can trust.

* Synonyms: phrases of one :class:`Synonyms` set are alternatives of one group
  ("lũ ống" ≈ "lũ quét"); the sets are data (one line each), editable by officials.
* Word segmentation where it helps: Vietnamese words are mostly two syllables, so adjacent
  syllables are also tried as a phrase, which ranks "lũ quét" above a text that has "lũ" and
  "quét" far apart; and a run-together word ("satlo") is split into two known syllables.
* Typo tolerance: a token the index has never seen is replaced by the known tokens at edit
  distance one (:func:`edits1`) — the caller says which tokens are known.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from pctt.core.text import fold

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TOKENS",
    "STOPWORDS",
    "ParsedQuery",
    "QueryError",
    "Synonyms",
    "TermGroup",
    "edits1",
    "parse_query",
    "search_key",
    "splits",
    "tokens",
]

# Longer than any question a resident types; beyond it the query is refused, not truncated,
# so that nobody wonders why the end of their text was ignored.
MAX_QUERY_CHARS: Final = 500
# Tokens kept after stopwords; more only slow the engine down without changing the ranking.
MAX_QUERY_TOKENS: Final = 16
# Typo correction only for tokens this long: shorter ones have too many neighbours.
MIN_TYPO_LENGTH: Final = 4
# Longest synonym phrase, in tokens.
_MAX_PHRASE: Final = 4
_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyz0123456789"

# Folded function words of questions ("làm gì", "có phải không", "thì sao"). Words whose folded
# form is also a content word of this domain stay out: "de" (đê, dyke), "do" (độ), "can" (cạn),
# "bao" (bão, storm; báo động, alarm level).
STOPWORDS: Final = frozenset(
    [
        "a",
        "ah",
        "ai",
        "anh",
        "ban",
        "bi",
        "cac",
        "cach",
        "cho",
        "chu",
        "co",
        "cua",
        "da",
        "dang",
        "day",
        "duoc",
        "em",
        "gi",
        "ha",
        "hay",
        "khi",
        "khong",
        "la",
        "lam",
        "ma",
        "minh",
        "mot",
        "nay",
        "nao",
        "nen",
        "neu",
        "nhe",
        "nhu",
        "nhung",
        "oi",
        "o",
        "phai",
        "ra",
        "roi",
        "sao",
        "se",
        "thi",
        "the",
        "thoi",
        "toi",
        "tren",
        "trong",
        "tu",
        "va",
        "vay",
        "ve",
        "voi",
        "vi",
    ]
)


class QueryError(ValueError):
    """The query cannot be searched; ``str(error)`` is a message for the person who typed it."""


def search_key(text: str) -> str:
    """The folded form stored in the index and compared with queries."""
    return fold(text)


def tokens(text: str) -> list[str]:
    return search_key(text).split()


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One thing the query asks for: any of these phrases (tuples of folded tokens) matches."""

    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    groups: tuple[TermGroup, ...]
    # Adjacent content tokens as phrases: extra score for documents that keep them together.
    bigrams: tuple[tuple[str, str], ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """Every token of every alternative, for highlighting and coverage measures."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for phrase in group.alternatives:
                seen.update(dict.fromkeys(phrase))
        return tuple(seen)


class Synonyms:
    """Sets of equivalent phrases, e.g. ``"lũ ống, lũ quét"``, matched on folded tokens."""

    def __init__(self, sets: Iterable[Iterable[str]] = ()) -> None:
        self._by_phrase: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for phrases in sets:
            self.add(phrases)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Synonyms:
        """One set per line, phrases separated by commas; ``#`` starts a comment."""
        return cls(line.split("#", 1)[0].split(",") for line in lines)

    def add(self, phrases: Iterable[str]) -> None:
        keys = {tuple(tokens(p)) for p in phrases} - {()}
        if len(keys) < 2:
            return
        merged = set(keys)
        for key in keys:
            merged |= self._by_phrase.get(key, set())
        for key in merged:
            self._by_phrase[key] = merged

    def __len__(self) -> int:
        return len(self._by_phrase)

    def alternatives(self, phrase: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        found = self._by_phrase.get(phrase)
        if not found:
            return (phrase,)
        # The typed phrase first, then the others in a stable order.
        return (phrase, *sorted(found - {phrase}))

    def longest_match(self, words: list[str], start: int) -> int:
        """Length of the longest synonym phrase starting at ``words[start]`` (0: none)."""
        for length in range(min(_MAX_PHRASE, len(words) - start), 0, -1):
            if tuple(words[start : start + length]) in self._by_phrase:
                return length
        return 0


def edits1(token: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away."""
    cuts = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    deletes = {a + b[1:] for a, b in cuts if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in cuts if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in cuts for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {token}


def splits(token: str) -> list[tuple[str, str]]:
    """Ways to cut a run-together word into two syllables of at least two letters."""
    return [(token[:i], token[i:]) for i in range(2, len(token) - 1)]


def _content_words(text: str) -> list[str]:
    words = tokens(text)
    content = [w for w in words if w not in STOPWORDS]
    return (content or words)[:MAX_QUERY_TOKENS]


def parse_query(
    text: str,
    *,
    synonyms: Synonyms | None = None,
    known: Callable[[Iterable[str]], set[str]] | None = None,
) -> ParsedQuery:
    """Fold, drop question words, expand synonyms and, given ``known``, fix typos.

    ``known(candidates)`` returns the subset of candidate tokens the index holds. Raises
    :class:`QueryError` for an empty or over-long query.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The search is too long (at most {MAX_QUERY_CHARS} characters).")
    words = _content_words(text)
    if not words:
        raise QueryError("Type a word or a question to search.")
    synonyms = synonyms or Synonyms()
    groups: list[TermGroup] = []
    index = 0
    while index < len(words):
        length = synonyms.longest_match(words, index)
        if length:
            phrase = tuple(words[index : index + length])
            groups.append(TermGroup(synonyms.alternatives(phrase)))
            index += length
            continue
        groups.append(TermGroup(_token_alternatives(words[index], synonyms, known)))
        index += 1
    bigrams = tuple(itertools.pairwise(words))
    return ParsedQuery(tuple(groups), bigrams)


def _token_alternatives(
    token: str,
    synonyms: Synonyms,
    known: Callable[[Iterable[str]], set[str]] | None,
) -> tuple[tuple[str, ...], ...]:
    single = synonyms.alternatives((token,))
    if known is None or len(token) < MIN_TYPO_LENGTH or known([token]):
        return single
    fixes = sorted(known(edits1(token)))
    two_syllables = [pair for pair in splits(token) if known(pair) == set(pair)]
    # The typed token stays first: a document may hold it even if the vocabulary is stale.
    return (*single, *((fix,) for fix in fixes), *two_syllables)
