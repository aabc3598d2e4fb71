"""Library search speed: p95 query latency over 10,000 generated documents, and indexing
throughput, against a naive LIKE scan of the same folded text as the baseline.

    uv run python benchmarks/search.py        # prints one JSON line

Runs on a temporary SQLite file (or PostgreSQL when DATABASE_URL says so).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

DOCS = 10_000
QUERIES = 300
WORDS = [
    "lũ",
    "quét",
    "sạt",
    "lở",
    "đất",
    "mưa",
    "lớn",
    "bão",
    "áp",
    "thấp",
    "nhiệt",
    "đới",
    "sơ",
    "tán",
    "người",
    "già",
    "trẻ",
    "em",
    "đuối",
    "nước",
    "nhà",
    "cửa",
    "chằng",
    "chống",
    "mái",
    "tôn",
    "túi",
    "đồ",
    "khẩn",
    "cấp",
    "đèn",
    "pin",
    "thuốc",
    "men",
    "nước",
    "uống",
    "báo",
    "động",
    "mực",
    "nước",
    "sông",
    "suối",
    "khe",
    "núi",
    "tổ",
    "dân",
    "phố",
    "phường",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "cứu",
    "hộ",
    "cứu",
    "nạn",
    "dông",
    "sét",
    "mưa",
    "đá",
    "rét",
    "đậm",
    "rét",
    "hại",
    "nắng",
    "nóng",
    "hạn",
    "hán",
    "xâm",
    "nhập",
    "mặn",
    "đê",
    "điều",
    "hồ",
    "chứa",
    "thủy",
    "điện",
    "cảnh",
    "báo",
    "sớm",
    "thông",
    "tin",
    "chính",
    "thức",
    "tin",
    "đồn",
    "hỗ",
    "trợ",
    "chính",
    "sách",
    "ngư",
    "dân",
    "nông",
    "dân",
    "ruộng",
    "lúa",
    "gia",
    "súc",
    "chuồng",
    "trại",
    "điện",
    "giật",
    "cầu",
    "dao",
    "dịch",
    "bệnh",
    "vệ",
    "sinh",
    "nước",
    "sạch",
    "muỗi",
]
QUERY_TEXTS = [
    "lu quet",
    "sat lo dat",
    "so tan nguoi gia",
    "chet duoi tre em",
    "giong set",
    "tui do khan cap",
    "bao dong muc nuoc",
    "ho tro chinh sach",
    "tin don thuy dien",
    "ret dam gia suc",
    "lu qeut",
    "mua lon khe nui",
    "nha cua chang chong mai ton",
]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Domain words among generated Vietnamese-like syllables, with Zipf frequencies as in
    real text (a handful of very common syllables, a long tail of rare ones)."""
    onsets = [
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ]
    rhymes = [
        "a",
        "á",
        "à",
        "ả",
        "ã",
        "ạ",
        "ai",
        "ao",
        "an",
        "anh",
        "ang",
        "ăn",
        "âm",
        "ê",
        "ên",
        "i",
        "im",
        "in",
        "inh",
        "o",
        "ô",
        "ơ",
        "ong",
        "ôi",
        "u",
        "ưa",
        "ương",
        "uy",
        "ác",
        "ạc",
        "em",
        "ép",
        "iêu",
        "oan",
        "oát",
        "uôn",
        "ưng",
        "ươi",
        "ơn",
        "ết",
        "ổi",
        "ướng",
        "ật",
        "ỗng",
    ]
    syllables = sorted({o + r for o in onsets for r in rhymes} - set(WORDS))
    words = rng.sample(syllables, min(2000, len(syllables))) + WORDS
    rng.shuffle(words)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return words, weights


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="pctt-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pctt.settings.test")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.db import connection, transaction

    from pctt.core.search_text import Synonyms
    from pctt.library.search.backends import backend_for
    from pctt.library.search.engine import DEFAULT_SYNONYMS, SearchEngine, make_doc

    rng = random.Random(7)
    words, weights = vocabulary(rng)
    texts = [
        (
            " ".join(rng.choices(words, weights, k=rng.randint(6, 12))),
            " ".join(rng.choices(words, weights, k=rng.randint(80, 250))),
        )
        for _ in range(DOCS)
    ]
    synonyms = Synonyms.from_lines(DEFAULT_SYNONYMS.read_text(encoding="utf-8").splitlines())
    backend = backend_for(f"bench_search_{os.getpid()}")
    engine = SearchEngine(backend, synonyms)
    backend.create()
    try:
        started = time.perf_counter()
        with transaction.atomic():
            engine.index(make_doc(n, t, b) for n, (t, b) in enumerate(texts, start=1))
        index_s = time.perf_counter() - started
        queries = [QUERY_TEXTS[i % len(QUERY_TEXTS)] for i in range(QUERIES)]
        latencies = []
        for query in queries:
            started = time.perf_counter()
            engine.search(query, limit=10)
            latencies.append((time.perf_counter() - started) * 1000)
        # Baseline: what a plain LIKE scan over the same folded rows costs (no ranking).
        baseline = []
        column = "body"
        with connection.cursor() as cursor:
            for query in queries[:60]:
                started = time.perf_counter()
                key = "rowid" if connection.vendor == "sqlite" else "id"
                cursor.execute(
                    f"SELECT {key} FROM {backend.name} WHERE {column} LIKE %s LIMIT 10",
                    [f"%{query}%"],
                )
                cursor.fetchall()
                baseline.append((time.perf_counter() - started) * 1000)
    finally:
        backend.drop()

    def p95(values: list[float]) -> float:
        return round(statistics.quantiles(values, n=20)[-1], 2)

    print(
        json.dumps(
            {
                "benchmark": "library_search",
                "database": connection.vendor,
                "documents": DOCS,
                "queries": len(latencies),
                "p95_ms": p95(latencies),
                "median_ms": round(statistics.median(latencies), 2),
                "index_docs_per_s": round(DOCS / index_s),
                "baseline_like_p95_ms": p95(baseline),
                "target_p95_ms": 20,
            }
        )
    )


if __name__ == "__main__":
    main()
