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
    assert client.get("/ngon-ngu/en/?next=/").status_code == 302
    html = client.get("/").content.decode()
    assert "There are no active warnings" in html and 'lang="en"' in html


def test_home_without_a_configured_ward_still_answers() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert "Chưa cấu hình xã, phường" in response.content.decode()


def test_home_needs_no_javascript_the_only_script_is_the_offline_enhancement() -> None:
    html = Client().get("/").content.decode()
    assert html.count("<script") == 1 and 'offline.js" defer' in html


def test_larger_text_is_a_plain_link_and_sticks(demo_ward: object) -> None:
    client = Client()
    client.get("/co-chu/lon/?next=/")
    assert 'class="large-text"' in client.get("/").content.decode()
    client.get("/co-chu/thuong/?next=/")
    assert 'class="large-text"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target", ["http://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_preference_links_never_redirect_off_site(target: str) -> None:
    response = Client().get("/ngon-ngu/en/", {"next": target})
    assert response["Location"] == "/"


def test_unknown_language_or_size_is_not_found() -> None:
    assert Client().get("/ngon-ngu/fr/").status_code == 404
    assert Client().get("/co-chu/huge/").status_code == 404


def test_the_service_worker_is_served_from_the_root() -> None:
    response = Client().get("/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert "caches.match" in response.content.decode()


def test_home_lists_the_latest_guidance_and_corrections(full_demo: object) -> None:
    from pctt.community.models import Claim
    from pctt.library.models import GuidancePage

    html = Client().get("/").content.decode()
    guidance = GuidancePage.objects.live().order_by("-first_published_at").first()
    claim = Claim.objects.filter(published_at__isnull=False).order_by("-published_at").first()
    assert guidance is not None and guidance.title in html
    assert claim is not None and f"/y-kien/tin-don/{claim.slug}/" in html
