"""Public views of the library: search, the assistant, and page audio."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from pctt.areas.models import WardSetting
from pctt.core.search_text import QueryError
from pctt.library import assistant
from pctt.library.audio import ensure_audio
from pctt.library.browse import Filters
from pctt.library.models import Audience, HazardType, LibraryPage, NewsletterPage, Theme
from pctt.library.peak import peak_guidance
from pctt.library.search.engine import portal_engine

RESULTS = 20


def _base_context(request: HttpRequest) -> dict[str, object]:
    return {"ward_name": WardSetting.load(request_or_site=request).title, "peak": peak_guidance()}


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    filters = Filters.from_query(request.GET)
    context = _base_context(request) | {
        "query": query,
        "filters": filters,
        "themes": Theme.objects.all(),
        "hazards": HazardType.objects.all(),
        "audiences": Audience.objects.all(),
        "results": [],
        "error": "",
    }
    status = 200
    if query.strip():
        try:
            hits = portal_engine().search(query, tags=filters.tags(), limit=RESULTS)
        except QueryError as error:
            context["error"] = _(str(error))
            status = 400
        else:
            order = {hit.id: n for n, hit in enumerate(hits)}
            pages = Page.objects.live().public().filter(pk__in=order).specific()
            context["results"] = sorted(pages, key=lambda p: order[p.pk])
    return render(request, "library/search.html", context, status=status)


def ask(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("q", "")
    context = _base_context(request) | {"question": question, "answer": None, "error": ""}
    status = 200
    if question.strip():
        try:
            context["answer"] = assistant.answer(question)
        except QueryError as error:
            context["error"] = _(str(error))
            status = 400
    return render(request, "library/assistant.html", context, status=status)


def newsletter_file(request: HttpRequest, page_id: int, fmt: str) -> FileResponse:
    """A published newsletter issue as an A4 document: PDF (LibreOffice) or Word."""
    from subprocess import SubprocessError

    from pctt.library.newsletter import issue_file

    page = NewsletterPage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    try:
        name = issue_file(
            page,
            fmt,
            ward_name=WardSetting.load(request_or_site=request).title,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except (SubprocessError, OSError) as exc:
        raise Http404 from exc
    if name is None:
        raise Http404
    kind = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type=kind,
        as_attachment=True,
        filename=f"ban-tin-so-{page.issue_number}.{fmt}",
    )


def audio(request: HttpRequest, page_id: int) -> FileResponse:
    page = Page.objects.live().public().filter(pk=page_id).first()
    specific = page.specific if page is not None else None
    if not isinstance(specific, LibraryPage) or not specific.has_audio:
        raise Http404
    made = ensure_audio(specific)  # lazily, for pages published before audio existed
    if made is None or not made.file:
        raise Http404
    content_type = "audio/mpeg" if (made.file.name or "").endswith(".mp3") else "audio/wav"
    return FileResponse(made.file.open("rb"), content_type=content_type)
