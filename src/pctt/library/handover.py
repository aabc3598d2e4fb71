"""Other apps hand content to the library as drafts; the editorial workflow does the rest."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape, linebreaks
from django.utils.text import slugify

from pctt.core.text import strip_diacritics
from pctt.library.models import LibraryIndexPage, QuestionPage
from pctt.library.setup import ensure_index_page


def create_qa_draft(*, question: str, answer: str, user: Any, source: str) -> QuestionPage:
    """A residents' question and the ward's answer as an unpublished Q&A page (a draft that
    editors review and submit to the workflow). `source` names where it came from."""
    index: LibraryIndexPage = ensure_index_page()
    title = question.strip().splitlines()[0][:200] or "Hỏi đáp"
    base = slugify(strip_diacritics(title))[:60] or "hoi-dap"
    slug, n = base, 1
    while index.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    page = QuestionPage(
        title=title,
        slug=slug,
        question=question.strip(),
        # Residents' text becomes escaped paragraphs: never markup.
        answer=linebreaks(escape(answer.strip())),
        live=False,
        owner=user if getattr(user, "is_authenticated", False) else None,
    )
    index.add_child(instance=page)
    page.save_revision(user=page.owner, log_action=True)
    page.search_description = source[:255]
    page.save(update_fields=["search_description"])
    return page
