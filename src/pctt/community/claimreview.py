"""schema.org ClaimReview JSON-LD for a published correction. Pure Python (no Django).

The claim is described by what it says, when it first appeared and its other wordings; no
``author`` of the claim is ever given: claims, never people.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: verdict → (rating 1–5, label). 1 = false … 5 = true, as fact-checkers commonly publish.
RATINGS: dict[str, int] = {"false": 1, "misleading": 2, "unproven": 3, "true": 5}


@dataclass(frozen=True)
class Review:
    url: str
    claim: str
    verdict: str
    verdict_label: str
    first_seen: date
    published: datetime
    publisher: str
    title: str
    variants: tuple[str, ...] = ()
    language: str = "vi"


def claim_review(review: Review) -> dict[str, Any]:
    if review.verdict not in RATINGS:
        raise ValueError(f"no public rating for verdict {review.verdict!r}")
    claim: dict[str, Any] = {
        "@type": "Claim",
        "text": review.claim,
        "datePublished": review.first_seen.isoformat(),
        "inLanguage": review.language,
    }
    if review.variants:
        claim["alternateName"] = list(review.variants)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.url,
        "name": review.title,
        "datePublished": review.published.date().isoformat(),
        "inLanguage": review.language,
        "claimReviewed": review.claim,
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": review.publisher},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[review.verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": review.verdict_label,
        },
    }


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">: no '<', '>' or '&' in clear."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
