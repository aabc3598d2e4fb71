"""Near-duplicate detection for short residents' texts: folded character trigrams + Jaccard.

Pure Python, no Django import. Texts are folded first (:func:`pctt.core.text.fold`: no case,
no diacritics, NFC-insensitive), so "Xả lũ đập Hoà Bình" and "xa lu dap hoa binh!!" are equal.
Character trigrams (inside words, padded) survive typos, missing tone marks and reordered
words better than whole words, which matters for rumours copied and re-copied by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from pctt.core.text import fold

__all__ = ["DEFAULT_THRESHOLD", "best_match", "cluster", "jaccard", "shingles"]

#: Two texts sharing at least this share of trigrams are "the same thing said again".
DEFAULT_THRESHOLD = 0.55
#: Only the start of a text is compared: enough to recognise it, bounded cost per pair.
MAX_CHARS = 600

K = TypeVar("K")


def shingles(text: str) -> frozenset[str]:
    """The set of padded character trigrams of the folded text (empty for empty text)."""
    folded = fold(text[: MAX_CHARS * 2])[:MAX_CHARS]
    grams: set[str] = set()
    for word in folded.split():
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def best_match(
    text: str,
    candidates: Iterable[tuple[K, str]],
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[K, float] | None:
    """The key of the candidate most similar to *text*, if any reaches *threshold*."""
    mine = shingles(text)
    best: tuple[K, float] | None = None
    for key, other in candidates:
        score = jaccard(mine, shingles(other))
        if score >= threshold and (best is None or score > best[1]):
            best = (key, score)
    return best


def cluster(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Group indexes of *texts*: each text joins the first earlier group whose first text it
    resembles (single pass, so a surge of N texts costs at most N × groups comparisons)."""
    groups: list[list[int]] = []
    heads: list[frozenset[str]] = []
    for index, text in enumerate(texts):
        mine = shingles(text)
        for group, head in zip(groups, heads, strict=True):
            if jaccard(mine, head) >= threshold:
                group.append(index)
                break
        else:
            groups.append([index])
            heads.append(mine)
    return groups
