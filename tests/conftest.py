"""Shared fixtures: real services, the shared data folder, the demo ward."""

from __future__ import annotations

import importlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_or_skip(host: str, port: int, name: str) -> None:
    """Skip when a service is absent on a user's machine; under CI a missing service fails."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return
    except OSError as exc:
        if IN_CI:
            pytest.fail(f"{name} is not reachable at {host}:{port} under CI: {exc}")
        pytest.skip(f"{name} not reachable at {host}:{port}")


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"shared test data missing: {path}")
        pytest.skip(f"shared test data missing: {path}")
    return path


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, settings: pytest.FixtureRequest) -> Iterator[Path]:
    """Every test gets its own var/ (snapshots, media, demo logins): files outlive the
    database rollback, so sharing them would leak one test's state into the next."""
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    yield tmp_path


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Client.force_login` skips the password, so it skips the second factor too: approvers'
    and administrators' sessions are marked verified (pctt.accounts.testing, docs/security.md).
    Two-factor enforcement stays on; tests of it sign in with the form."""
    from django.test import Client

    from pctt.accounts.testing import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def demo_ward(db: None, var_dir: Path) -> object:
    """The demo ward's core: areas, organisations, users, station, templates, subscribers.

    Apps' own demo content (`pctt.<app>.demo.load`) is not loaded: an app's tests call
    their own `load(ward)` when they need it, or use `full_demo`.
    """
    from pctt.areas.models import AdminUnit
    from pctt.demo.load import WARD_CODE, load_demo

    load_demo(full_reference=False, app_content=False)
    return AdminUnit.objects.get(code=WARD_CODE)


@pytest.fixture
def full_demo(db: None, var_dir: Path) -> object:
    """The whole demo, with every app's content, as `pctt demo` loads it."""
    from pctt.areas.models import AdminUnit
    from pctt.demo.load import WARD_CODE, load_demo

    load_demo(full_reference=False)
    return AdminUnit.objects.get(code=WARD_CODE)


@pytest.fixture
def wagtail_tree(transactional_db: None) -> Any:
    """The Wagtail tree (root page, collection, locale, site) and the library's taxonomies, put
    back for a transactional test: the flush after an earlier one removes them."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    # The flush's post_migrate made the content types again under new ids: cached ones would
    # point new pages at rows that no longer exist.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    # The plan's themes, hazard types and audiences: data the library's migration seeds.
    from django.apps import apps

    seeding = importlib.import_module("pctt.library.migrations.0002_seed_taxonomies")
    seeding.seed(apps, None)
    return root
