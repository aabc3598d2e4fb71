from __future__ import annotations

from django.http import HttpRequest

from pctt.portal.middleware_snapshots import LARGE_TEXT_COOKIE


def portal(request: HttpRequest) -> dict[str, object]:
    return {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "large"}
