"""The library's search engine: Vietnamese query parsing on top of a database backend.

The portal, the back office, the assistant, `pctt search eval` and the benchmark all build
their engine here, so what is measured is what residents get.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pctt.core.search_text import ParsedQuery, Synonyms, parse_query, search_key
from pctt.library.search.backends import Backend, IndexDoc, RawHit, backend_for

DEFAULT_SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"
BATCH = 1000


@lru_cache(maxsize=1)
def _default_lines() -> tuple[str, ...]:
    return tuple(DEFAULT_SYNONYMS.read_text(encoding="utf-8").splitlines())


def current_synonyms() -> Synonyms:
    """The shipped defaults plus the sets officials added in the back office."""
    from pctt.library.models import SynonymSet

    synonyms = Synonyms.from_lines(_default_lines())
    for phrases in SynonymSet.objects.values_list("phrases", flat=True):
        synonyms.add(phrases.split(","))
    return synonyms


def make_doc(doc_id: int, title: str, body: str, tags: Iterable[str] = ()) -> IndexDoc:
    return IndexDoc(doc_id, search_key(title), search_key(body), " ".join(tags))


@dataclass
class SearchEngine:
    backend: Backend
    synonyms: Synonyms = field(default_factory=Synonyms)

    def index(self, docs: Iterable[IndexDoc]) -> int:
        batch: list[IndexDoc] = []
        count = 0
        for doc in docs:
            batch.append(doc)
            if len(batch) >= BATCH:
                self.backend.upsert(batch)
                count += len(batch)
                batch = []
        self.backend.upsert(batch)
        return count + len(batch)

    def remove(self, ids: Sequence[int]) -> None:
        self.backend.delete(ids)

    def parse(self, text: str) -> ParsedQuery:
        """Raises :class:`pctt.core.search_text.QueryError` for an empty or huge query."""
        return parse_query(text, synonyms=self.synonyms, known=self.backend.known)

    def search(self, text: str, *, tags: Sequence[str] = (), limit: int = 10) -> list[RawHit]:
        return self.ranked(self.parse(text), tags=tags, limit=limit)

    def ranked(
        self, parsed: ParsedQuery, *, tags: Sequence[str] = (), limit: int = 10
    ) -> list[RawHit]:
        """Documents holding every part of the query first (cheap: few candidates to rank);
        when they are too few, documents holding some parts follow."""
        every = (
            self.backend.query(parsed, tags, limit, every=True) if len(parsed.groups) > 1 else []
        )
        if len(every) >= limit:
            return every
        seen = {hit.id for hit in every}
        # With the best documents already found, adjacency no longer needs scoring: dropping
        # the phrase terms halves the cost of this wider query.
        wider = ParsedQuery(parsed.groups, ()) if every else parsed
        some = self.backend.query(wider, tags, limit + len(every))
        return (every + [hit for hit in some if hit.id not in seen])[:limit]


def portal_engine() -> SearchEngine:
    return SearchEngine(backend_for(), current_synonyms())
