"""`pctt search eval`: index a corpus into a temporary index with the portal's engine and
measure ranking quality (MRR@10, recall@10) and latency (p95)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from pctt.core.search_text import QueryError, Synonyms
from pctt.library.search.backends import backend_for
from pctt.library.search.engine import SearchEngine, current_synonyms, make_doc

CUTOFF = 10


@dataclass(frozen=True)
class EvalResult:
    mrr: float
    recall: float
    p95_ms: float
    queries: int

    def as_json(self) -> dict[str, Any]:
        return {
            "mrr@10": round(self.mrr, 4),
            "recall@10": round(self.recall, 4),
            "p95_ms": round(self.p95_ms, 2),
            "queries": self.queries,
        }


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: expected an object")
            yield row


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _synonyms() -> Synonyms:
    try:
        return current_synonyms()
    except DatabaseError:  # an unmigrated database: the shipped defaults still apply
        from pctt.library.search.engine import _default_lines

        return Synonyms.from_lines(_default_lines())


def evaluate(corpus: Iterable[dict[str, Any]], queries: Iterable[dict[str, Any]]) -> EvalResult:
    backend = backend_for(f"library_eval_{secrets.token_hex(4)}")
    engine = SearchEngine(backend, _synonyms())
    backend.create()
    try:
        ids: dict[int, str] = {}
        docs = []
        for number, row in enumerate(corpus, start=1):
            ids[number] = str(row["id"])
            docs.append(make_doc(number, str(row.get("title", "")), str(row.get("body", ""))))
        engine.index(docs)
        reciprocal, recalls, latencies = [], [], []
        for row in queries:
            relevant = {str(r) for r in row.get("relevant", [])}
            started = time.perf_counter()
            try:
                hits = engine.search(str(row.get("q", "")), limit=CUTOFF)
            except QueryError:
                hits = []
            latencies.append((time.perf_counter() - started) * 1000)
            found = [ids[hit.id] for hit in hits]
            first = next((n for n, doc in enumerate(found, start=1) if doc in relevant), None)
            reciprocal.append(1 / first if first else 0.0)
            recalls.append(len(relevant & set(found)) / len(relevant) if relevant else 0.0)
        count = len(latencies)
        return EvalResult(
            sum(reciprocal) / count if count else 0.0,
            sum(recalls) / count if count else 0.0,
            percentile(latencies, 0.95),
            count,
        )
    finally:
        backend.drop()
