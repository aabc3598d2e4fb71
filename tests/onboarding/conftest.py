"""Fixtures for the set-up wizard: one province of the official list, an administrator."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pctt.accounts.roles import RoleKey, group_for, sync_roles

PROVINCE = "Tỉnh Lào Cai"
WARD_CODE = "02671"  # Phường Cam Đường, Lào Cai (2025 list)
OTHER_WARD_CODE = "02647"  # Phường Lào Cai


def user_with(role: RoleKey, username: str) -> Any:
    sync_roles()
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(group_for(role))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def reference(db: None) -> None:
    """Lào Cai's 99 communes/wards: enough to choose from, fast to load."""
    from pctt.areas.actions import load_reference

    load_reference(only_provinces=[PROVINCE])


@pytest.fixture
def admin(db: None) -> Any:
    return user_with(RoleKey.ADMINISTRATOR, "quantri1")


@pytest.fixture
def admin_client(admin: Any) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def ward(reference: None) -> Any:
    from pctt.areas.models import AdminUnit

    return AdminUnit.objects.get(code=WARD_CODE)


@pytest.fixture
def state(admin: Any, ward: Any) -> Any:
    """The wizard started and the ward chosen."""
    from pctt.onboarding import actions

    current = actions.state_for(admin)
    return actions.choose_ward(current, ward, user=admin)


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Actions' messages are checked in English (the msgids); the screens run in Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield
