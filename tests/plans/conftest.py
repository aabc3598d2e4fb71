"""The demo ward is loaded once per test module inside a transaction that is rolled back at
the module's end; each test runs in a savepoint within it. Loading it per test costs seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from pctt.areas.models import AdminUnit
from pctt.plans.models import Organisation


@pytest.fixture(scope="module")
def module_ward(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AdminUnit]:
    from pctt.demo.load import WARD_CODE, load_demo
    from pctt.plans import demo

    var = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo(full_reference=False, app_content=False)
            ward = AdminUnit.objects.get(code=WARD_CODE)
            demo.load(ward)  # only this app's demo content: the plan and a season of activities
            yield ward
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def ward(module_ward: AdminUnit, db: None) -> AdminUnit:
    return module_ward


@pytest.fixture
def users(ward: AdminUnit) -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def orgs(ward: AdminUnit) -> dict[str, Organisation]:
    return {o.kind: o for o in Organisation.objects.exclude(kind="party_cell")}
