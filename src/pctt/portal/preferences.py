"""A resident's two preferences, kept in cookies: language and text size. Plain links, so
they work without JavaScript and from a cached snapshot (no CSRF token baked in)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from pctt.portal.middleware_snapshots import LARGE_TEXT_COOKIE

ONE_YEAR = 365 * 24 * 3600


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)


def language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = _back(request)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=ONE_YEAR, samesite="Lax")
    return response


def text_size(request: HttpRequest, size: str) -> HttpResponseRedirect:
    if size not in ("lon", "thuong"):
        raise Http404
    response = _back(request)
    if size == "lon":
        response.set_cookie(LARGE_TEXT_COOKIE, "large", max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
    return response
