"""Back office: find library content as residents type it (folded Vietnamese, synonyms, typo
tolerance: the same engine as the portal), drafts included, filtered by workflow status and
page type. The index is the back office's own (`pctt.library.indexing.ADMIN_INDEX`)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Revision, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from pctt.core.search_text import QueryError
from pctt.library.indexing import ADMIN_INDEX, reindex_drafts
from pctt.library.models import PAGE_TYPES, LibraryIndexPage
from pctt.library.search.backends import backend_for
from pctt.library.search.engine import SearchEngine, current_synonyms

#: Candidates taken from the index before the status filter; a page of results after it.
CANDIDATES = 300
SHOWN = 50

STATUSES = {
    "live": gettext_lazy("live"),
    "changed": gettext_lazy("live + draft"),
    "draft": gettext_lazy("draft"),
    "moderation": gettext_lazy("in moderation"),
    "scheduled": gettext_lazy("scheduled"),
    "expired": gettext_lazy("expired"),
}


def _page_ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    page_type = ContentType.objects.get_for_model(Page)
    return queryset.filter(base_content_type=page_type).values("object_id")


def with_status(pages: Any, status: str) -> Any:
    if status == "live":
        return pages.filter(live=True, has_unpublished_changes=False)
    if status == "changed":
        return pages.filter(live=True, has_unpublished_changes=True)
    if status == "draft":
        return pages.filter(live=False, expired=False)
    if status == "expired":
        return pages.filter(expired=True)
    if status == "moderation":
        states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        return pages.filter(
            pk__in=[int(i) for i in _page_ids(states).values_list("object_id", flat=True)]
        )
    if status == "scheduled":
        revisions = Revision.objects.filter(approved_go_live_at__isnull=False)
        return pages.filter(
            pk__in=[int(i) for i in _page_ids(revisions).values_list("object_id", flat=True)]
        )
    return pages


def library_pages() -> Any:
    index = LibraryIndexPage.objects.first()
    if index is None:
        return Page.objects.none()
    return Page.objects.descendant_of(index)


def _engine() -> SearchEngine:
    backend = backend_for(ADMIN_INDEX)
    engine = SearchEngine(backend, current_synonyms())
    return engine


class LibrarySearchView(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    template_name = "library/admin/search.html"
    page_title = gettext_lazy("Find library content")
    header_icon = "search"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")},
        {"url": "", "label": gettext_lazy("Find library content")},
    ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policy = PagePermissionPolicy()
        if not policy.user_has_any_permission(request.user, {"add", "change", "publish"}):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        query = get.get("q", "")[:500]
        status = get.get("status", "")
        status = status if status in STATUSES else ""
        kinds = {m._meta.model_name: m for m in PAGE_TYPES}
        kind = get.get("kind", "")
        kind = kind if kind in kinds else ""
        pages = with_status(library_pages(), status)
        if kind:
            pages = pages.filter(content_type=ContentType.objects.get_for_model(kinds[kind]))
        error = ""
        if query.strip():
            try:
                ranked = [hit.id for hit in self._search(query)]
            except QueryError as exc:
                error, ranked = _(str(exc)), []
            order = {pk: n for n, pk in enumerate(ranked)}
            found = sorted(pages.filter(pk__in=order).specific(), key=lambda p: order[p.pk])
        else:
            found = list(pages.order_by("-latest_revision_created_at").specific()[:SHOWN])
        context.update(
            query=query,
            status=status,
            kind=kind,
            statuses=STATUSES.items(),
            kinds=[(name, model._meta.verbose_name) for name, model in kinds.items()],
            results=found[:SHOWN],
            error=error,
        )
        return context

    def _search(self, query: str) -> list[Any]:
        engine = _engine()
        backend = engine.backend
        hits = engine.search(query, limit=CANDIDATES)
        if not hits and library_pages().exists() and not _has_rows(backend):
            # An index created after the pages (an upgrade): fill it once, then search.
            reindex_drafts()
            hits = engine.search(query, limit=CANDIDATES)
        return hits


def _has_rows(backend: Any) -> bool:
    from django.db import connection

    key = "rowid" if connection.vendor == "sqlite" else "id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key} FROM {backend.name} LIMIT 1")  # noqa: S608 - our own name
        return cursor.fetchone() is not None
