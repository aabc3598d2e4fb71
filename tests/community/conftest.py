from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from PIL import Image

from pctt.accounts.roles import RoleKey, group_for, sync_roles
from pctt.community import abuse


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_fill_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(abuse, "MIN_FILL_SECONDS", 0.0)


def user_with(role: RoleKey, username: str) -> Any:
    sync_roles()
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(group_for(role))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def triage(ward: Any) -> Any:
    return user_with(RoleKey.TRIAGE_OFFICER, "tn2")


@pytest.fixture
def triage_client(triage: Any) -> Client:
    client = Client()
    client.force_login(triage)
    return client


def jpeg(*, gps: bool = False, size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x013B] = "Nguyen Van A"  # Artist: a person's name inside the file
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 30.0, 0.0), 3: "E", 4: (105.0, 15.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes() if fmt == "JPEG" else None)
    return out.getvalue()


@pytest.fixture
def ward(db: None) -> Any:
    """A small fictional ward: 4 residential groups, 3 organisations. Built directly (the
    full demo loads other apps' content and takes seconds per test on a busy machine)."""
    from pctt.areas.models import AdminUnit, WardSetting
    from pctt.plans.models import Organisation

    province = AdminUnit.objects.create(code="T-P", name="Tỉnh Thử", level="province")
    unit = AdminUnit.objects.create(
        code="T-W", name="Phường Bến Sông (hư cấu)", level="commune", parent=province
    )
    for index in range(1, 5):
        AdminUnit.objects.create(
            code=f"T-G{index}", name=f"Tổ dân phố {index}", level="residential_group", parent=unit
        )
    setting = WardSetting.load()
    setting.ward = unit
    setting.save()
    for name, kind in (
        ("Uỷ ban Mặt trận Tổ quốc phường", "fatherland_front"),
        ("Hội Liên hiệp Phụ nữ phường", "womens_union"),
        ("Đoàn Thanh niên phường", "youth_union"),
    ):
        Organisation.objects.create(ward=unit, name=name, kind=kind)
    return unit


@pytest.fixture
def client() -> Client:
    """A visitor who chose English: these tests read the English source strings."""
    from django.conf import settings

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english
