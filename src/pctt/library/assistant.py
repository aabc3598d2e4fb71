"""The Q&A assistant: answers with quoted, approved passages and links — never its own words.

A question is searched like any query; the best Q&A and guidance pages are split into
passages (an answer's paragraphs, a guidance page's steps) and a passage is quoted only when
it covers enough of what was asked. Otherwise the answer says nothing matched well and offers
to send the question to the ward.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page

from pctt.core.search_text import ParsedQuery, search_key
from pctt.library import generative
from pctt.library.models import GuidancePage, LibraryPage, QuestionPage
from pctt.library.search.engine import SearchEngine, portal_engine

# Share of the question's content words (or their synonyms) a passage must contain.
MIN_COVERAGE = 0.5
MAX_CITATIONS = 3
CANDIDATE_PAGES = 20


@dataclass(frozen=True)
class Citation:
    page_title: str
    url: str
    text: str
    coverage: float


@dataclass(frozen=True)
class Answer:
    question: str
    citations: list[Citation]
    # Only with the optional generative mode (pctt.library.generative): a short text citing
    # the citations above as [1], [2]…; empty when off or when the reply was not usable.
    summary: str = ""

    @property
    def found(self) -> bool:
        return bool(self.citations)


def coverage(parsed: ParsedQuery, folded_text: str) -> float:
    padded = f" {folded_text} "
    matched = sum(
        any(f" {' '.join(phrase)} " in padded for phrase in group.alternatives)
        for group in parsed.groups
    )
    return matched / len(parsed.groups)


def keeps_a_word(parsed: ParsedQuery, folded_text: str) -> bool:
    """True when the text holds two query syllables side by side (or a synonym phrase).

    Vietnamese words are mostly two syllables and single syllables ("di", "ha", "may") occur
    everywhere, so a passage that shares only scattered syllables is not an answer."""
    padded = f" {folded_text} "
    phrases: list[tuple[str, ...]] = list(parsed.bigrams)
    phrases += [p for g in parsed.groups for p in g.alternatives if len(p) > 1]
    if not phrases:  # a one-word question: any match of it will do
        return True
    return any(f" {' '.join(phrase)} " in padded for phrase in phrases)


def _context(page: LibraryPage) -> str:
    if isinstance(page, QuestionPage):
        return f"{page.title} {page.question}"
    return f"{page.title} {page.summary}"


def _quotable(page: LibraryPage) -> list[str]:
    if isinstance(page, QuestionPage):
        return [" ".join(page.passages()[1:])]  # the whole answer; the first line is the question
    if isinstance(page, GuidancePage):
        return page.step_texts()
    return []


def answer(question: str, *, engine: SearchEngine | None = None) -> Answer:
    """Raises `pctt.core.search_text.QueryError` for an empty or over-long question."""
    engine = engine or portal_engine()
    parsed = engine.parse(question)
    hits = engine.ranked(parsed, limit=CANDIDATE_PAGES)
    rank = {hit.id: position for position, hit in enumerate(hits)}
    pages = Page.objects.live().public().filter(pk__in=rank).specific()
    scored: list[tuple[float, int, Citation]] = []
    for page in pages:
        if not isinstance(page, QuestionPage | GuidancePage):
            continue
        context = search_key(_context(page))
        for text in _quotable(page):
            # The page's own title/question counts half: it says what the passage is about.
            own = coverage(parsed, search_key(text))
            score = max(own, (own + coverage(parsed, f"{context} {search_key(text)}")) / 2)
            if score >= MIN_COVERAGE and keeps_a_word(parsed, f"{context} {search_key(text)}"):
                citation = Citation(page.title, page.url or "", text, score)
                scored.append((score, rank[page.pk], citation))
    # The engine's page ranking first (it weighs titles and rare words), then the passage.
    scored.sort(key=lambda item: (item[1], -item[0]))
    chosen: list[Citation] = []
    seen_pages: dict[str, int] = {}
    for _score, _rank, citation in scored:
        if seen_pages.get(citation.url, 0) >= 2:
            continue
        seen_pages[citation.url] = seen_pages.get(citation.url, 0) + 1
        chosen.append(citation)
        if len(chosen) == MAX_CITATIONS:
            break
    summary = generative.summarise(question, [c.text for c in chosen]) if chosen else None
    return Answer(question, chosen, summary or "")
