"""Wagtail's publish/unpublish signals, handed to `actions`."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Revision
from wagtail.signals import page_published, page_unpublished

from pctt.library import actions
from pctt.library.models import PAGE_TYPES, LibraryPage


def _published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, LibraryPage):
        actions.page_published(instance, user=getattr(revision, "user", None))


def _unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, LibraryPage):
        actions.page_unpublished(instance, user=None)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    actions.page_deleted(instance.pk)


def _revision_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        actions.revision_saved(instance)


def connect() -> None:
    post_save.connect(_revision_saved, sender=Revision, dispatch_uid="library_revision_saved")
    page_published.connect(_published, dispatch_uid="library_page_published")
    page_unpublished.connect(_unpublished, dispatch_uid="library_page_unpublished")
    for model in PAGE_TYPES:
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"library_deleted_{model.__name__}"
        )
