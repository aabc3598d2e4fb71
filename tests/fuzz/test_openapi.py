"""The OpenAPI description matches the URL configuration, both ways."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from pctt.ops.openapi import description

#: Mounted elsewhere and not part of the public API (the back office has its own views).
PRIVATE_PREFIXES = ("admin/", "documents/")


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(PRIVATE_PREFIXES):
                continue
            yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _answers_json(view: Any) -> bool:
    target = inspect.unwrap(view)
    try:
        source = inspect.getsource(target)
    except (OSError, TypeError):
        return False
    return "JsonResponse" in source and target.__module__.startswith("pctt.")


def _as_openapi(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route


def test_every_documented_path_resolves_to_a_view() -> None:
    for path in description()["paths"]:
        concrete = (
            path.replace("{provider}", "ten-nha-cung-cap")
            .replace("{client_id}", "7d8f3c2e-1b4a-4c5d-9e6f-0a1b2c3d4e5f")
            .replace("{pk}", "1")
        )
        match = resolve(concrete)
        assert _answers_json(match.func), f"{path} does not resolve to a JSON view"


def test_every_public_json_view_is_documented() -> None:
    documented = set(description()["paths"])
    json_routes = {
        _as_openapi(route)
        for route, view in _patterns(get_resolver().url_patterns)
        if _answers_json(view)
    }
    assert json_routes, "no JSON view found: the walk is broken"
    assert json_routes - documented == set()


@pytest.mark.django_db
def test_the_description_is_served_as_json() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"].startswith("3.") and "/quan-trac/api/observations" in body["paths"]
