"""A NUL in a query string gets a clear 400 before any view passes it to the database."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/thu-vien/tim-kiem/?q=b%C3%A3o%00",
        "/y-kien/tra-cuu/?ma=%00",
        "/quan-trac/api/observations?station=%00",
        "/?%00=1",
        "/admin/login/?next=/admin/%00",
        "/cap/?x=a%00b&y=1",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_with_a_reason(demo_ward: object, address: str) -> None:
    response = Client().get(address)
    assert response.status_code == 400
    assert "Địa chỉ có ký tự NUL" in response.content.decode()


def test_a_percent_sign_that_is_not_nul_passes(demo_ward: object) -> None:
    # %2500 is the text "%00", not the character: searched for, not refused.
    assert Client().get("/thu-vien/tim-kiem/?q=%2500").status_code == 200
