"""What residents see: search, the assistant, audio, peak mode — on the demo library."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pctt.accounts.roles import RoleKey
from pctt.library.models import GuidancePage, QuestionPage


@pytest.mark.django_db
def test_residents_search_without_accents_and_hostile_input_gets_a_clear_error(
    library: Any, client: Client
) -> None:
    found = client.get("/thu-vien/tim-kiem/", {"q": "lu ong"})
    assert found.status_code == 200
    assert "Khi có lũ quét, lũ ống: làm gì ngay" in found.content.decode()
    filtered = client.get("/thu-vien/tim-kiem/", {"q": "so tan", "hazard": "landslide"})
    assert "Sơ tán an toàn" in filtered.content.decode()
    assert "Nhà ven sông" not in filtered.content.decode()
    for hostile in ['"', "NEAR(", "x" * 5000, "<script>alert(1)</script>"]:
        response = client.get("/thu-vien/tim-kiem/", {"q": hostile})
        assert response.status_code in (200, 400)
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/thu-vien/tim-kiem/", {"q": "x" * 5000}).status_code == 400


@pytest.mark.django_db
def test_assistant_quotes_approved_passages_or_offers_to_ask_the_ward(
    library: Any, client: Client
) -> None:
    answer = client.get("/thu-vien/hoi-dap/", {"q": "bị sét đánh thì sơ cứu thế nào?"})
    page = QuestionPage.objects.get(title="Sơ cứu người bị sét đánh")
    html = answer.content.decode()
    assert "Gọi 115, kiểm tra hơi thở" in html
    assert page.url in html
    nothing = client.get("/thu-vien/hoi-dap/", {"q": "giá vé máy bay đi Hà Nội"})
    assert "/y-kien/" in nothing.content.decode()
    assert "blockquote" not in nothing.content.decode()


@pytest.mark.django_db
def test_guidance_page_plays_its_audio(library: Any, client: Client) -> None:
    guide = GuidancePage.objects.live().first()
    assert guide is not None
    page_html = client.get(guide.url).content.decode()
    assert f"/thu-vien/am-thanh/{guide.pk}/" in page_html
    audio = client.get(f"/thu-vien/am-thanh/{guide.pk}/")
    assert audio.status_code == 200
    assert audio["Content-Type"] in ("audio/mpeg", "audio/wav")
    assert b"".join(audio.streaming_content)[:4] in (b"RIFF", b"ID3\x03", b"ID3\x04")


@pytest.mark.django_db
def test_peak_mode_puts_guidance_for_the_active_hazard_first(library: Any, client: Client) -> None:
    from pctt.library.peak import peak_guidance
    from tests.alerts.factories import issued_flood, user_with

    assert peak_guidance() == []
    issued_flood(user_with(RoleKey.ALERT_OPERATOR, "op"), user_with(RoleKey.ALERT_APPROVER, "ap"))
    guides = peak_guidance()
    assert guides and all("flood" in {h.code for h in g.hazards.all()} for g in guides)
    assert guides[0].phase == GuidancePage.Phase.DURING
    html = client.get(library.url).content.decode()
    assert 'id="peak-heading"' in html
    assert html.index(guides[0].title) < html.index('class="results"')
