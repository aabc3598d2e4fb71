from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose another language (the language switch's cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones
    in Vietnam are set to English: an official warning page must not change language
    behind a resident's back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class RefuseNulInQueryMiddleware:
    """400 for a query string holding NUL (%00), before any view reads it.

    PostgreSQL text cannot hold U+0000, so a search term, code or filter carrying one would end
    as a database error (500) wherever a view passes it to a query; no parameter of pctt needs
    one. Bodies are not concerned: forms refuse NUL field by field (Django's CharField) and the
    JSON APIs say so themselves (`pctt.core.nul`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address holds a NUL character; remove it and try again.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
