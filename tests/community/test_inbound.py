"""SMS keyword and messaging-app webhooks: good, hostile, oversized and repeated input."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pctt.community import abuse, keywords
from pctt.community.models import AnswerChannel, Source, Submission
from pctt.dispatch.models import ChannelProvider

pytestmark = pytest.mark.django_db
TOKEN = "community-test-token"


@pytest.fixture(autouse=True)
def providers(monkeypatch: pytest.MonkeyPatch, ward: Any) -> None:
    monkeypatch.setenv("PCTT_TEST_COMMUNITY_TOKEN", TOKEN)
    for name, channel in (("gw", 1), ("oa", 3)):
        ChannelProvider.objects.create(
            name=name,
            channel=channel,
            kind="console",
            options={"webhook_token_env": "PCTT_TEST_COMMUNITY_TOKEN"},
        )


def _post(client: Client, url: str, body: Any, token: str = TOKEN) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        url, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HOI diem so tan o dau", ("submit", "question", "diem so tan o dau")),
        ("Hỏi: điểm sơ tán ở đâu", ("submit", "question", "điểm sơ tán ở đâu")),
        ("hỏi điểm sơ tán ở đâu", ("submit", "question", "điểm sơ tán ở đâu")),
        ("Y KIEN cống bị tắc", ("submit", "concern", "cống bị tắc")),
        ("BAO sat lo to 3", ("submit", "hazard", "sat lo to 3")),
        ("tin co tin xa lu", ("submit", "claim", "co tin xa lu")),
        ("XOA abcd2345", ("delete", "", "")),
        ("HOI", None),
        ("STOP", None),
        ("123456", None),
        ("", None),
    ],
)
def test_keywords_ignore_case_and_diacritics_and_never_take_stop_or_codes(
    text: str, expected: tuple[str, str, str] | None
) -> None:
    parsed = keywords.parse(text)
    assert (None if parsed is None else (parsed.action, parsed.kind, parsed.text)) == expected


def test_an_sms_question_is_stored_with_the_number_for_the_answer(client: Client) -> None:
    response = _post(
        client, "/y-kien/sms-den/gw/", {"from": "0912345678", "text": "HOI Điểm sơ tán tổ 3 ở đâu?"}
    )
    submission = Submission.objects.get()
    assert response.status_code == 200 and submission.reference in response.json()["reply"]
    assert "0912345678" not in response.json()["reply"]
    assert submission.source == Source.SMS and submission.contact == "+84912345678"
    assert submission.answer_channel == AnswerChannel.SMS and submission.contact_consent_at


def test_stop_still_goes_to_dispatch_first(client: Client) -> None:
    from pctt.dispatch.models import Consent, Subscriber

    subscriber = Subscriber.objects.create(phone="+84912345678")
    from django.utils import timezone

    Consent.objects.create(
        subscriber=subscriber, channel="sms", method="paper_form", given_at=timezone.now()
    )
    response = _post(client, "/y-kien/sms-den/gw/", {"from": "0912345678", "text": "STOP"})
    assert response.status_code == 200 and response.json()["reply"]
    assert Consent.objects.get().withdrawn_at is not None
    assert not Submission.objects.exists()


def test_xoa_deletes_the_number_only_from_the_same_phone(client: Client) -> None:
    _post(client, "/y-kien/sms-den/gw/", {"from": "0912345678", "text": "BAO nuoc ngap sau"})
    reference = Submission.objects.get().reference
    _post(client, "/y-kien/sms-den/gw/", {"from": "0987654321", "text": f"XOA {reference}"})
    assert Submission.objects.get().contact == "+84912345678"
    _post(client, "/y-kien/sms-den/gw/", {"from": "0912345678", "text": f"xoa {reference}"})
    assert Submission.objects.get().contact == ""


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        json.dumps({"from": 912345678, "text": "HOI x"}),
        json.dumps({"from": "0912345678"}),
        json.dumps({"from": "0912345678", "text": "HOI " + "x" * 5000}),
        b"\xff\xfe\x00",
        "[" * 100_000,
        json.dumps({"from": "0912345678", "text": "HOI " + "x" * 70_000}),
    ],
)
def test_malformed_hostile_or_oversized_bodies_are_400_never_500(client: Client, body: Any) -> None:
    response = _post(client, "/y-kien/sms-den/gw/", body)
    assert response.status_code == 400 and "error" in response.json()
    assert not Submission.objects.exists()


def test_wrong_token_or_unknown_provider_is_refused(client: Client) -> None:
    body = {"from": "0912345678", "text": "HOI x"}
    assert _post(client, "/y-kien/sms-den/gw/", body, token="wrong").status_code == 403
    assert _post(client, "/y-kien/sms-den/nope/", body).status_code == 404
    assert _post(client, "/y-kien/sms-den/oa/", body).status_code == 404  # an app provider


def test_hostile_sms_text_is_kept_as_text_and_not_a_number_is_ignored(client: Client) -> None:
    _post(client, "/y-kien/sms-den/gw/", {"from": "not-a-phone", "text": "HOI x"})
    assert not Submission.objects.exists()
    _post(
        client,
        "/y-kien/sms-den/gw/",
        {"from": "0912345678", "text": "TIN <script>alert(1)</script>"},
    )
    assert Submission.objects.get().text == "<script>alert(1)</script>"


def test_repeated_sms_are_grouped_then_rate_limited(client: Client) -> None:
    limit = abuse.LIMITS["sms"][0]
    for _ in range(limit + 3):
        _post(
            client,
            "/y-kien/sms-den/gw/",
            {"from": "0912345678", "text": "TIN thuy dien xa lu dem nay"},
        )
    assert Submission.objects.count() == limit
    assert Submission.objects.leaders().count() == 1


def test_the_messaging_app_webhook_takes_questions_and_links(client: Client) -> None:
    response = _post(
        client,
        "/y-kien/app-den/oa/",
        {"from": "zalo-user-1", "text": "TIN tang 10GB data", "link": "https://example.org/x"},
    )
    submission = Submission.objects.get()
    assert response.status_code == 200 and submission.kind == "claim"
    assert submission.link == "https://example.org/x" and submission.answer_channel == "app"
    bad = _post(
        client,
        "/y-kien/app-den/oa/",
        {"from": "u2", "text": "HOI x", "link": "javascript:alert(1)"},
    )
    assert bad.status_code == 200 and Submission.objects.count() == 1


def test_the_gateway_s_single_inbound_address_also_takes_residents_keywords(
    client: Client,
) -> None:
    response = _post(client, "/dang-ky/sms-den/gw/", {"from": "0912345678", "text": "BAO ngap"})
    submission = Submission.objects.get()
    assert response.status_code == 200 and submission.reference in response.json()["reply"]
    assert submission.kind == "hazard"


def _stored_photo(submission: Submission) -> bytes:
    with submission.photo.open("rb") as handle:
        data: bytes = handle.read()
    return data


def test_a_photo_sent_in_the_messaging_app_is_re_encoded_without_metadata(
    client: Client,
) -> None:
    from PIL import Image

    from tests.community.conftest import jpeg

    original = jpeg(gps=True) + b"<html><script>alert(1)</script></html>"  # a polyglot
    response = _post(
        client,
        "/y-kien/app-den/oa/",
        {"from": "zalo-9", "text": "BAO sạt taluy", "image": base64.b64encode(original).decode()},
    )
    report = Submission.objects.get()
    assert response.status_code == 200 and report.reference in response.json()["reply"]
    assert report.kind == "hazard" and report.photo and (report.lon, report.lat) == (None, None)
    stored = _stored_photo(report)
    assert b"Nguyen Van A" not in stored and b"<script" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_photo_as_a_data_url_or_a_multipart_file_without_text(client: Client) -> None:
    from tests.community.conftest import jpeg

    data_url = "data:image/png;base64," + base64.b64encode(jpeg(fmt="PNG")).decode()
    _post(client, "/y-kien/app-den/oa/", {"from": "zalo-1", "image": data_url})
    multipart = client.post(
        "/y-kien/app-den/oa/",
        {"from": "zalo-2", "text": "Y KIEN cống tắc", "image": SimpleUploadedFile("p.jpg", jpeg())},
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert multipart.status_code == 200
    first, second = Submission.objects.order_by("pk")
    assert first.photo and first.text and first.kind == "question"
    assert second.photo and second.kind == "concern"


@pytest.mark.parametrize(
    "image",
    [
        base64.b64encode(b"%PDF-1.4 not a photo").decode(),
        base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>").decode(),
        "this is not base64!!",
        "https://cdn.example.org/photo.jpg",  # a link is never fetched
    ],
)
def test_an_unusable_photo_keeps_the_message_and_says_why(client: Client, image: str) -> None:
    response = _post(
        client,
        "/y-kien/app-den/oa/",
        {"from": "zalo-3", "text": "HOI nước rút chưa", "image": image},
    )
    report = Submission.objects.get()
    assert response.status_code == 200 and not report.photo
    assert report.text == "nước rút chưa"
    assert "photo" in response.json()["reply"].lower()


@pytest.mark.parametrize(
    "body",
    [
        {"from": "z", "text": "x", "image": 12},
        {"from": "z", "text": "x", "image": ["a"]},
        {"from": "z", "text": "x", "image": "A" * (12 * 1024 * 1024)},
    ],
)
def test_wrong_shape_or_oversized_photo_bodies_are_400(client: Client, body: Any) -> None:
    assert _post(client, "/y-kien/app-den/oa/", body).status_code == 400
    assert not Submission.objects.exists()
