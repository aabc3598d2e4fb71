"""CSRF everywhere: no view reachable by URL is exempt from the CSRF check, except the
machine-to-machine endpoints below, each authenticated by a token or signature instead of a
cookie (so a forged cross-site request carries nothing that would let it in)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

#: view module.function -> how it authenticates its caller.
TOKEN_OR_SIGNATURE_ENDPOINTS = {
    "pctt.plans.upward_api.receive": "the ward's token (Authorization: Bearer), signed reports",
    "pctt.community.webhooks.inbound_sms": "the provider's webhook secret",
    "pctt.community.webhooks.inbound_app": "the provider's webhook secret",
    "pctt.hazards.api.observations": "the station's token (Authorization: Bearer)",
    "pctt.dispatch.views.delivery_report": "the provider's webhook secret",
    "pctt.dispatch.views.inbound_sms": "the provider's webhook secret",
    "pctt.plans.upward_outbox.acknowledge": "the ward's token, signed request (province pull)",
    "pctt.dispatch.views.unsubscribe": "the signed unsubscribe token in the URL (one-click POST)",
    # Wagtail's admin API is read-only (GET) and behind the admin sign-in; Django REST
    # framework's session authentication enforces CSRF itself for unsafe methods.
    "wagtail.admin.api.views.PagesAdminAPIViewSet": "admin sign-in; read-only",
    "wagtail.documents.api.admin.views.DocumentsAdminAPIViewSet": "admin sign-in; read-only",
    "wagtail.images.api.admin.views.ImagesAdminAPIViewSet": "admin sign-in; read-only",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _name(callback: Any) -> str:
    view_class = getattr(callback, "view_class", None)
    target = view_class or callback
    return f"{target.__module__}.{target.__qualname__}"


def _exempt_views() -> dict[str, str]:
    return {
        _name(cb): route
        for route, cb in _walk(get_resolver().url_patterns)
        if getattr(cb, "csrf_exempt", False)
    }


def test_no_view_is_csrf_exempt_unless_it_authenticates_by_token_or_signature() -> None:
    exempt = _exempt_views()
    unexpected = sorted(set(exempt) - set(TOKEN_OR_SIGNATURE_ENDPOINTS))
    assert not unexpected, f"csrf_exempt views without a listed token check: {unexpected}"


def test_the_listed_exemptions_still_exist() -> None:
    # A stale entry would let a future view of the same name in unexamined.
    assert set(TOKEN_OR_SIGNATURE_ENDPOINTS) <= set(_exempt_views())


@pytest.mark.django_db
def test_exempt_endpoints_refuse_a_post_without_credentials() -> None:
    client = Client(enforce_csrf_checks=True)
    for name, route in _exempt_views().items():
        path = "/" + re.sub(r"<[^>]+>", "x1", route).replace("^", "").replace("$", "")
        response = client.post(path, data=b"{}", content_type="application/json")
        refused = 400 <= response.status_code < 500 or (
            response.status_code == 302 and "/login/" in response["Location"]
        )
        assert refused, (name, path, response.status_code)


@pytest.mark.django_db
def test_back_office_and_portal_forms_refuse_a_post_without_a_token() -> None:
    client = Client(enforce_csrf_checks=True)
    for path in ("/admin/login/", "/nhan-canh-bao/", "/y-kien/"):
        assert client.post(path, {"x": "1"}).status_code == 403, path
