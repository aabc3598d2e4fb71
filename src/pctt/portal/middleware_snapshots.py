from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from pctt.portal import snapshots

LARGE_TEXT_COOKIE = "pctt_text"
MAX_AGE = 30  # seconds: short, so that a cancel is seen quickly even through caches


class SnapshotMiddleware:
    """Serve hot public pages from their snapshot files (production: nginx does this).

    Only the default view of a page comes from a snapshot: a visitor who chose English or
    large text gets the dynamic page. An expired snapshot is rebuilt by the first request
    that meets it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and self._default_view(request):
            served = snapshots.lookup(request.path)
            if served is None and snapshots.expired():
                snapshots.rebuild()
                served = snapshots.lookup(request.path)
            if served is not None:
                return self._respond(request, served)
        return self.get_response(request)

    @staticmethod
    def _default_view(request: HttpRequest) -> bool:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        return language == settings.LANGUAGE_CODE and LARGE_TEXT_COOKIE not in request.COOKIES

    @staticmethod
    def _respond(request: HttpRequest, served: snapshots.Served) -> HttpResponse:
        if served.etag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
        else:
            response = HttpResponse(served.body, content_type=served.content_type)
        response["ETag"] = served.etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response["Content-Language"] = settings.LANGUAGE_CODE
        response["Vary"] = "Cookie"
        response["X-Pctt-Snapshot"] = "1"
        return response
