"""Content-Security-Policy: strict everywhere, with the allowances the Wagtail back office
needs under /admin/ only (its templates and some widgets use inline script and style)."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest
from django.http.response import HttpResponseBase

ADMIN_PREFIX = "/admin/"
#: Added to the base policy (settings.CONTENT_SECURITY_POLICY) for back-office pages.
ADMIN_ALLOWANCES: dict[str, list[str]] = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    # Page previews and the rich-text editor's embeds open our own pages in frames.
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class PolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            replace = dict(parts.replace or {})
            from django.conf import settings

            base = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            for directive, extra in ADMIN_ALLOWANCES.items():
                kept = [v for v in base.get(directive, []) if v != "'none'"]
                replace[directive] = [*kept, *extra]
            parts.replace = replace  # type: ignore[assignment]
            # A nonce would make browsers ignore 'unsafe-inline'.
            parts.nonce = None
        return parts
