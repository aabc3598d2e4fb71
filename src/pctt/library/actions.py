"""Every change of state in the library goes through here.

Writing, reviewing, approving and scheduling pages are Wagtail's own actions (with its
permission checks, revisions and log); these functions react to their results: audit entry,
search index in the same transaction, audio after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pctt.accounts.audit import log_action
from pctt.library import indexing
from pctt.library.models import LibraryPage


def page_published(page: LibraryPage, *, user: Any) -> None:
    log_action("library.page_published", user=user, instance=page, data={"title": page.title})
    indexing.index_pages([page])
    if page.has_audio:
        from pctt.library.tasks import generate_audio

        page_id = page.pk
        transaction.on_commit(lambda: generate_audio.enqueue(page_id))


def page_unpublished(page: LibraryPage, *, user: Any) -> None:
    log_action("library.page_unpublished", user=user, instance=page, data={"title": page.title})
    indexing.unindex([page.pk])


def page_deleted(page_id: int) -> None:
    indexing.unindex_everywhere([page_id])


def revision_saved(revision: Any) -> None:
    """A draft was saved (or submitted): the back office's search sees what it now says."""
    indexing.index_revision(revision)
