"""The public form: works without JavaScript, anonymous by default, bad input loses nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pctt.community import abuse
from pctt.community.models import AnswerChannel, Submission
from tests.community.conftest import jpeg

pytestmark = pytest.mark.django_db
URL = "/y-kien/gui/"


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "question",
        "text": "Điểm sơ tán của tổ 3 ở đâu?",
        "started": abuse.started_token(time.time() - 30),
        "website": "",
        **fields,
    }


def test_the_form_renders_without_javascript_and_has_a_hidden_honeypot(
    client: Client, ward: object
) -> None:
    html = client.get(URL).content.decode()
    form = html[
        html.index('<form method="post"') : html.index("</form>", html.index('name="website"'))
    ]
    assert 'enctype="multipart/form-data"' in form and "<script" not in form
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert "Tổ dân phố 1" in html


def test_an_anonymous_question_is_stored_without_anything_about_the_person(
    client: Client, ward: object
) -> None:
    response = client.post(URL, _form(), REMOTE_ADDR="10.1.2.3")
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/y-kien/da-gui/{submission.reference}/"
    assert submission.contact == "" and submission.contact_consent_at is None
    stored = " ".join(str(v) for v in Submission.objects.values().get().values())
    assert "10.1.2.3" not in stored
    assert submission.reference in client.get(response["Location"]).content.decode()


def test_a_contact_needs_consent_and_is_normalised_then_masked(
    client: Client, ward: object
) -> None:
    response = client.post(URL, _form(answer_channel="sms", contact="0912 345 678"))
    assert response.status_code == 400
    assert "agree that we keep your contact" in response.content.decode()
    assert "0912 345 678" in response.content.decode()  # nothing lost
    client.post(URL, _form(answer_channel="sms", contact="0912 345 678", consent="on"))
    submission = Submission.objects.get()
    assert submission.contact == "+84912345678" and submission.answer_channel == AnswerChannel.SMS
    assert submission.contact_erase_after is not None
    assert submission.masked_contact == "+84 91•••••78"


def test_hostile_text_is_stored_as_text_and_rendered_escaped(
    client: Client, triage_client: Client, ward: object
) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(URL, _form(text=evil, link="javascript:alert(1)"))
    assert not Submission.objects.exists()  # the javascript: link is refused
    client.post(URL, _form(text=evil, link="https://example.org/<b>"))
    submission = Submission.objects.get()
    html = triage_client.get(f"/admin/community/{submission.pk}/").content.decode()
    assert evil not in html and "&lt;script&gt;" in html
    assert triage_client.get("/admin/community/").content.decode().count("<script>alert") == 0


def test_too_long_text_is_refused_with_the_text_kept(client: Client, ward: object) -> None:
    response = client.post(URL, _form(text="lũ " * 1000))
    assert response.status_code == 400 and not Submission.objects.exists()
    assert "lũ lũ lũ" in response.content.decode()


def test_a_wrong_file_type_is_refused_and_the_message_kept(client: Client, ward: object) -> None:
    bad = SimpleUploadedFile("anh.jpg", b"<html><script>1</script></html>", "image/jpeg")
    response = client.post(URL, _form(kind="hazard", text="Sạt lở taluy", photo=bad))
    html = response.content.decode()
    assert response.status_code == 400 and "not a photo we can read" in html
    assert "Sạt lở taluy" in html


def test_a_good_photo_survives_an_error_elsewhere_and_is_stored_without_exif(
    client: Client, ward: object
) -> None:
    photo = SimpleUploadedFile("a.jpg", jpeg(gps=True), "image/jpeg")
    first = client.post(URL, _form(kind="hazard", text="", photo=photo))
    assert first.status_code == 400
    token = first.context["form"].data["photo_token"]
    assert token and "you do not need to choose it again" in first.content.decode()
    client.post(URL, _form(kind="hazard", text="Nứt kè sông", photo_token=token))
    submission = Submission.objects.get()
    with submission.photo.open("rb") as handle:
        data = handle.read()
    assert data[:3] == b"\xff\xd8\xff" and b"Nguyen Van A" not in data
    assert submission.lat is None


def test_shared_photo_location_is_kept_on_the_submission(client: Client, ward: object) -> None:
    photo = SimpleUploadedFile("a.jpg", jpeg(gps=True), "image/jpeg")
    client.post(URL, _form(kind="hazard", text="Ngập sâu", photo=photo, share_location="on"))
    submission = Submission.objects.get()
    assert submission.lat == pytest.approx(21.5) and submission.lon == pytest.approx(105.25)


def test_the_honeypot_looks_like_success_and_saves_nothing(client: Client, ward: object) -> None:
    response = client.post(URL, _form(website="http://spam.example"))
    assert response.status_code == 302 and not Submission.objects.exists()


def test_a_form_sent_too_fast_or_with_a_forged_timestamp_is_refused_with_data_kept(
    client: Client, ward: object
) -> None:
    fast = client.post(URL, _form(started=abuse.started_token()))
    assert fast.status_code == 400 and "very fast" in fast.content.decode()
    assert "Điểm sơ tán của tổ 3" in fast.content.decode()
    forged = client.post(URL, _form(started="eyJ0IjoxfQ:forged"))
    assert forged.status_code == 400 and not Submission.objects.exists()


def test_repeated_posts_from_one_address_are_rate_limited_in_memory(
    client: Client, ward: object
) -> None:
    limit = abuse.LIMITS["portal"][0]
    codes = [client.post(URL, _form(text=f"câu hỏi số {i}")).status_code for i in range(limit + 2)]
    assert codes[:limit] == [302] * limit and codes[limit:] == [429, 429]
    assert Submission.objects.count() == limit
    other = client.post(URL, _form(), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_an_oversized_body_is_refused_before_parsing(client: Client, ward: object) -> None:
    response = client.post(URL, _form(), CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code in (400, 413)
    assert not Submission.objects.exists()


def test_the_resident_reads_the_answer_by_code_and_deletes_the_contact(
    client: Client, ward: object
) -> None:
    client.post(URL, _form(answer_channel="email", contact="dan@example.org", consent="on"))
    submission = Submission.objects.get()
    page = client.get(f"/y-kien/tra-cuu/?ma={submission.reference.lower()}")
    assert page.status_code == 200 and 'name="erase"' in page.content.decode()
    client.post("/y-kien/tra-cuu/", {"reference": submission.reference, "erase": "1"})
    submission.refresh_from_db()
    assert submission.contact == "" and submission.answer_channel == ""
    assert client.get("/y-kien/tra-cuu/?ma=ZZZZZZZZ").status_code == 404
