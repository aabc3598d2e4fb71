"""Database listings in Vietnamese alphabetical order (A Ă Â … D Đ …), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pctt.areas.models import AdminUnit
from pctt.formats.collation import ViOrder

pytestmark = pytest.mark.django_db

NAMES_IN_ORDER = ["An Phú", "Ăn Bàn", "Âu Cơ", "Bến Sông", "Dốc Đá", "Đồi Thông", "Tổ 2", "Tổ 10"]


@pytest.fixture
def units() -> list[AdminUnit]:
    province = AdminUnit.objects.create(code="P9", name="Tỉnh Thử", level="province")
    shuffled = [NAMES_IN_ORDER[i] for i in (5, 3, 7, 1, 6, 0, 4, 2)]
    return [
        AdminUnit.objects.create(code=f"C9{i}", name=name, level="commune", parent=province)
        for i, name in enumerate(shuffled)
    ]


def test_names_order_the_vietnamese_way_in_the_database(units: list[AdminUnit]) -> None:
    communes = AdminUnit.objects.filter(level="commune")
    ordered = communes.order_by(ViOrder("name").asc())
    assert [u.name for u in ordered] == NAMES_IN_ORDER
    assert [u.name for u in communes.order_by(ViOrder("name").desc())] == NAMES_IN_ORDER[::-1]


def test_the_back_office_list_is_in_vietnamese_order_by_default_and_by_the_name_column(
    units: list[AdminUnit],
) -> None:
    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser("collation-admin", password="x" * 20)
    )

    def shown(query: str) -> list[str]:
        html = client.get(f"/admin/adminunit/{query}").content.decode()
        found = {name: re.search(rf">\s*{re.escape(name)}\s*<", html) for name in NAMES_IN_ORDER}
        assert all(found.values()), found
        positions = {name: match.start() for name, match in found.items() if match}
        return sorted(NAMES_IN_ORDER, key=positions.__getitem__)

    assert shown("") == NAMES_IN_ORDER
    assert shown("?ordering=-name") == NAMES_IN_ORDER[::-1]
