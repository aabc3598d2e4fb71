# ruff: noqa: S608 - table names are our own constants; every value is a bound parameter
"""Where the folded documents live: SQLite FTS5, or PostgreSQL full-text.

Both backends hold the same rows (an integer id, folded title, folded body, space-separated
filter tags) and a vocabulary of known tokens for typo correction, and rank with a title boost.
Queries reach SQL only as folded tokens (letters and digits) in bound parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from pctt.core.search_text import ParsedQuery, TermGroup

#: The portal's index; the migration creates it. Evaluations use temporary ones.
PORTAL_INDEX = "library_search"
# Title matches weigh this many times a body match.
TITLE_WEIGHT = 8.0


@dataclass(frozen=True, slots=True)
class IndexDoc:
    id: int
    title: str  # folded
    body: str  # folded
    tags: str = ""  # e.g. "theme:c1 hazard:flood audience:elderly kind:guidance"


@dataclass(frozen=True, slots=True)
class RawHit:
    id: int
    score: float  # higher is better


class Backend(Protocol):
    name: str

    def create(self) -> None: ...
    def drop(self) -> None: ...
    def upsert(self, docs: Sequence[IndexDoc]) -> None: ...
    def delete(self, ids: Sequence[int]) -> None: ...
    def known(self, tokens: Iterable[str]) -> set[str]: ...
    def query(
        self, parsed: ParsedQuery, tags: Sequence[str], limit: int, *, every: bool = False
    ) -> list[RawHit]: ...


def _tag_filters(tags: Sequence[str], column: str) -> tuple[str, list[str]]:
    sql = "".join(f" AND (' ' || {column} || ' ') LIKE %s" for _ in tags)
    return sql, [f"% {tag} %" for tag in tags]


def _document_counts(texts: Iterable[tuple[str, str]]) -> Counter[str]:
    """For each token, how many of these (title, body) documents hold it."""
    counts: Counter[str] = Counter()
    for title, body in texts:
        counts.update({w for w in f"{title} {body}".split() if len(w) <= 64})
    return counts


def _vocabulary(docs: Sequence[IndexDoc]) -> list[tuple[str]]:
    words: set[str] = set()
    for doc in docs:
        words.update(doc.title.split())
        words.update(doc.body.split())
    return [(w,) for w in sorted(words) if len(w) <= 64]


class Fts5Backend:
    """SQLite FTS5; the text is folded before it arrives, so the tokenizer keeps marks."""

    def __init__(self, name: str, *, connection: BaseDatabaseWrapper | None = None) -> None:
        self.name = name
        self.connection = connection or default_connection

    def create(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5("
                "title, body, tags UNINDEXED, tokenize='unicode61 remove_diacritics 0')"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.name}_vocab (term TEXT PRIMARY KEY,"
                " docs INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
            )

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}_vocab")

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        with self.connection.cursor() as cursor:
            self._delete(cursor, [d.id for d in docs])
            cursor.executemany(
                f"INSERT INTO {self.name} (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                [(d.id, d.title, d.body, d.tags) for d in docs],
            )
            cursor.executemany(
                f"INSERT INTO {self.name}_vocab (term, docs) VALUES (%s, %s)"
                " ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs",
                sorted(_document_counts((d.title, d.body) for d in docs).items()),
            )

    def _delete(self, cursor: Any, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            # The vocabulary keeps its terms (typo correction may still offer them) but no
            # longer counts these documents.
            cursor.execute(f"SELECT title, body FROM {self.name} WHERE rowid IN ({marks})", chunk)
            gone = _document_counts(cursor.fetchall())
            if gone:
                cursor.executemany(
                    f"UPDATE {self.name}_vocab SET docs = max(docs - %s, 0) WHERE term = %s",
                    [(count, term) for term, count in sorted(gone.items())],
                )
            cursor.execute(f"DELETE FROM {self.name} WHERE rowid IN ({marks})", chunk)

    def delete(self, ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            self._delete(cursor, list(ids))

    def known(self, tokens: Iterable[str]) -> set[str]:
        wanted = sorted(set(tokens))
        found: set[str] = set()
        with self.connection.cursor() as cursor:
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT term FROM {self.name}_vocab WHERE term IN ({marks})", chunk)
                found.update(row[0] for row in cursor.fetchall())
        return found

    def document_counts(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many documents the index holds, and how many hold each of these terms."""
        wanted = sorted(set(terms))[:900]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.name}_docsize")
            total = int(cursor.fetchone()[0])
            if not wanted:
                return total, {}
            marks = ",".join(["%s"] * len(wanted))
            cursor.execute(
                f"SELECT term, docs FROM {self.name}_vocab WHERE term IN ({marks})", wanted
            )
            return total, {row[0]: int(row[1]) for row in cursor.fetchall()}

    def query(
        self, parsed: ParsedQuery, tags: Sequence[str], limit: int, *, every: bool = False
    ) -> list[RawHit]:
        if not every:
            # Words in more than half the documents add nothing to bm25 (FTS5 gives them an
            # idf of ~0) but cost the most: every document holding one must be scored. Leave
            # them out while the rarer words still fill the page; otherwise ask again whole.
            total, counts = self.document_counts(
                p[0] for g in parsed.groups for p in g.alternatives if len(p) == 1
            )
            pruned = prune_common(parsed, counts, total)
            if pruned is not None:
                hits = self._ranked(pruned, tags, limit, every=False)
                if len(hits) >= limit:
                    return hits
        return self._ranked(parsed, tags, limit, every=every)

    def _ranked(
        self, parsed: ParsedQuery, tags: Sequence[str], limit: int, *, every: bool
    ) -> list[RawHit]:
        match = fts5_match(parsed, every=every)
        tag_sql, tag_params = _tag_filters(tags, f"{self.name}.tags")
        # FTS5 wants the table's own name (not an alias) on the left of MATCH and in bm25().
        sql = (
            f"SELECT rowid, bm25({self.name}, {TITLE_WEIGHT}, 1.0, 0.0) AS score"
            f" FROM {self.name} WHERE {self.name} MATCH %s{tag_sql}"
            " ORDER BY score LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *tag_params, limit])
            # bm25() is lower-is-better (negative); flip it so every backend agrees.
            return [RawHit(int(row[0]), -float(row[1])) for row in cursor.fetchall()]


def prune_common(parsed: ParsedQuery, counts: dict[str, int], total: int) -> ParsedQuery | None:
    """The query without one-word alternatives held by more than half of ``total`` documents
    (and without word pairs made only of such words); None when nothing is left out or
    nothing would be left."""
    common = {term for term, count in counts.items() if count * 2 > total}
    if not common:
        return None
    groups = []
    for group in parsed.groups:
        kept = tuple(p for p in group.alternatives if not (len(p) == 1 and p[0] in common))
        if kept:
            groups.append(TermGroup(kept))
    bigrams = tuple(pair for pair in parsed.bigrams if not set(pair) <= common)
    if not groups and not bigrams:
        return None
    return ParsedQuery(tuple(groups), bigrams)


def _fts5_phrase(phrase: tuple[str, ...]) -> str:
    # Tokens are folded letters and digits only: no quote can occur inside.
    return '"' + " ".join(phrase) + '"'


def fts5_match(parsed: ParsedQuery, *, every: bool = False) -> str:
    """``every``: all groups must match; otherwise any may (ranked by bm25), and adjacent
    words as phrases add score."""
    parts = [
        "(" + " OR ".join(_fts5_phrase(p) for p in group.alternatives) + ")"
        for group in parsed.groups
    ]
    if every:
        return "{title body} : (" + " AND ".join(parts) + ")"
    parts += [_fts5_phrase(pair) for pair in parsed.bigrams]
    return "{title body} : (" + " OR ".join(parts) + ")"


class PostgresBackend:
    """PostgreSQL full-text with the 'simple' configuration (no stemming) on folded text."""

    def __init__(self, name: str, *, connection: BaseDatabaseWrapper | None = None) -> None:
        self.name = name
        self.connection = connection or default_connection

    def create(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.name} (id bigint PRIMARY KEY,"
                " title text NOT NULL, body text NOT NULL, tags text NOT NULL,"
                " tsv tsvector NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.name}_tsv ON {self.name} USING gin (tsv)"
            )
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {self.name}_vocab (term text PRIMARY KEY)")

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}_vocab")

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.name} (id, title, body, tags, tsv) VALUES (%s, %s, %s, %s,"
                " setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'D'))"
                " ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,"
                " tags = EXCLUDED.tags, tsv = EXCLUDED.tsv",
                [(d.id, d.title, d.body, d.tags, d.title, d.body) for d in docs],
            )
            cursor.executemany(
                f"INSERT INTO {self.name}_vocab (term) VALUES (%s) ON CONFLICT DO NOTHING",
                _vocabulary(docs),
            )

    def delete(self, ids: Sequence[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.name} WHERE id = ANY(%s)", [list(ids)])

    def known(self, tokens: Iterable[str]) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {self.name}_vocab WHERE term = ANY(%s)", [sorted(set(tokens))]
            )
            return {row[0] for row in cursor.fetchall()}

    def query(
        self, parsed: ParsedQuery, tags: Sequence[str], limit: int, *, every: bool = False
    ) -> list[RawHit]:
        # Each group: its alternatives OR'ed; groups AND'ed (every) or OR'ed with bigrams.
        groups = [[" ".join(p) for p in g.alternatives] for g in parsed.groups]
        if not every:
            groups = [[phrase for group in groups for phrase in group]]
            groups[0] += [" ".join(pair) for pair in parsed.bigrams]
        phrases = [phrase for group in groups for phrase in group]
        tsquery = " && ".join(
            "(" + " || ".join(["phraseto_tsquery('simple', %s)"] * len(group)) + ")"
            for group in groups
        )
        tag_sql, tag_params = _tag_filters(tags, "d.tags")
        # Weights D, C, B, A: a title (A) match counts TITLE_WEIGHT times a body (D) match.
        weights = f"'{{{1.0 / TITLE_WEIGHT}, 0.2, 0.4, 1.0}}'"
        sql = (
            f"SELECT d.id, ts_rank_cd({weights}, d.tsv, q.q) AS score"
            f" FROM {self.name} AS d, ({'SELECT ' + tsquery} AS q) AS q"
            f" WHERE d.tsv @@ q.q{tag_sql} ORDER BY score DESC, d.id LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*phrases, *tag_params, limit])
            return [RawHit(int(row[0]), float(row[1])) for row in cursor.fetchall()]


def backend_for(
    name: str = PORTAL_INDEX, *, connection: BaseDatabaseWrapper | None = None
) -> Backend:
    """The backend matching the database in use: the same engine for portal and evaluation."""
    conn = connection or default_connection
    if conn.vendor == "postgresql":
        return PostgresBackend(name, connection=conn)
    if conn.vendor == "sqlite":
        return Fts5Backend(name, connection=conn)
    raise NotImplementedError(f"library search supports SQLite and PostgreSQL, not {conn.vendor}")
