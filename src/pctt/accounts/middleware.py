"""Per request: bind who/where for the audit log, expire sessions, enforce the second factor.

Placed after django-otp's `OTPMiddleware` (which gives `request.user.is_verified()`).
Requests without a session cookie (residents on the portal) touch neither the session nor
the database here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pctt.accounts import otp, request_context

#: Reachable by a signed-in user who has not yet passed the second factor.
#: The icon sprite and the JavaScript catalogue are fetched by every admin page's scripts
#: (the 2FA page's too): redirecting them would inject the 2FA page into the page itself.
EXEMPT_PREFIXES = (
    "/admin/2fa/",
    "/admin/login/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)
#: Refresh the "last seen" stamp at most this often (one session write a minute, not each request).
SEEN_RESOLUTION = 60


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context.bound(request):
            response = self.guard(request)
            if response is not None:
                return response
            return self.get_response(request)

    def exempt(self, path: str) -> bool:
        return path.startswith(
            (*EXEMPT_PREFIXES, settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")
        )

    def guard(self, request: HttpRequest) -> HttpResponse | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if self.expired(request):
            logout(request)
            messages.info(request, _("You were signed out; please sign in again."))
            return None
        verified = getattr(user, "is_verified", lambda: False)()  # set by OTPMiddleware
        if otp.requires_second_factor(user) and not verified and not self.exempt(request.path):
            target = reverse("accounts_two_factor")
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return None

    def expired(self, request: HttpRequest) -> bool:
        session = request.session
        now = time.time()
        signed_in = session.get(otp.AUTH_AT)
        seen = session.get(otp.SEEN_AT)
        if signed_in is None or seen is None:
            # A session from before these stamps existed: start counting now.
            session[otp.AUTH_AT] = signed_in or now
            session[otp.SEEN_AT] = now
            return False
        if now - float(signed_in) > settings.PCTT_SESSION_MAX_SECONDS:
            return True
        if now - float(seen) > settings.PCTT_SESSION_IDLE_SECONDS:
            return True
        if now - float(seen) > SEEN_RESOLUTION:
            session[otp.SEEN_AT] = now
        return False
