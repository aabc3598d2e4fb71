from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_names_the_ward_and_says_there_is_no_active_warning(demo_ward: object) -> None:
    html = Client().get("/").content.decode()
    assert "Phường Bến Sông (hư cấu)" in html
    assert "Hiện không có cảnh báo nào đang có hiệu lực" in html
    assert '<svg class="ward-map"' in html and "Tổ dân phố 1" in html


def test_home_is_vietnamese_even_when_the_browser_asks_for_english(demo_ward: object) -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def test_english_when_the_resident_chooses_it(demo_ward: object) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "There are no active warnings" in html and 'lang="en"' in html


def test_home_without_a_configured_ward_still_answers() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert "Chưa cấu hình xã, phường" in response.content.decode()


def test_home_needs_no_javascript() -> None:
    assert "<script" not in Client().get("/").content.decode()
