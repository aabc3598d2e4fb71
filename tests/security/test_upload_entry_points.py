"""Every upload entry point refuses hostile files (wrong first bytes, a double extension, too
large) with a clear Vietnamese message, before anything is decoded or stored.
tests/security/test_uploads.py lists the entry points and names these tests."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

JPEG_HEAD = b"\xff\xd8\xff\xe0" + b"\0" * 64
HTML = b"<html><script>alert(1)</script></html>"
WAV_HEAD = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\0" * 32
TYPE_REFUSED = "Không nhận loại tệp này"
NOT_A_PHOTO = "Tệp này không phải ảnh đọc được."


def _declared(name: str, data: bytes, size: int) -> InMemoryUploadedFile:
    """A file whose declared size is *size*: the check must refuse it before reading."""
    return InMemoryUploadedFile(
        io.BytesIO(data), "file", name, "application/octet-stream", size, None
    )


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


# -- residents' photos (the public form) --------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("anh.jpg", HTML), NOT_A_PHOTO),
        (lambda: SimpleUploadedFile("anh.jpg.php", JPEG_HEAD), "Hãy gửi ảnh JPEG, PNG"),
        (lambda: SimpleUploadedFile("anh.php.jpg", HTML), NOT_A_PHOTO),
        (lambda: SimpleUploadedFile("anh.svg", b"<svg onload='x()'/>"), "Hãy gửi ảnh JPEG"),
        (lambda: _declared("anh.jpg", JPEG_HEAD, 9 * 1024 * 1024), "Ảnh lớn hơn 8 MB."),
    ],
)
def test_hostile_files_are_refused_by_community_form(upload: Any, message: str) -> None:
    from pctt.community.forms import PublicSubmissionForm

    with translation.override("vi"):
        form = PublicSubmissionForm({"text": "Nước ngập"}, {"photo": upload()})
        form.is_valid()
        assert message in " ".join(form.errors["photo"])
    assert form.clean_photo_jpeg is None


@pytest.mark.django_db
def test_a_real_photo_still_passes_the_community_form() -> None:
    from pctt.community.forms import PublicSubmissionForm

    form = PublicSubmissionForm({"text": "x"}, {"photo": SimpleUploadedFile("a.JPG", _photo())})
    form.is_valid()
    assert "photo" not in form.errors and form.clean_photo_jpeg


# -- loudspeaker recordings ---------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("bai.wav", HTML), "Chỉ nhận bản ghi âm MP3 và WAV."),
        (lambda: SimpleUploadedFile("bai.wav.exe", WAV_HEAD), "Chỉ nhận bản ghi âm MP3 và WAV."),
        (lambda: SimpleUploadedFile("bai.mp3", WAV_HEAD), "Chỉ nhận bản ghi âm MP3 và WAV."),
        (lambda: _declared("bai.wav", WAV_HEAD, 31 * 1024 * 1024), "Tệp quá lớn: tối đa 30 MB."),
    ],
)
def test_hostile_files_are_refused_by_loudspeaker_recordings(upload: Any, message: str) -> None:
    from pctt.loudspeakers.forms import AnnouncementForm, RecordingForm

    with translation.override("vi"):
        recording = RecordingForm({"title": "Thử"}, {"file": upload()})
        assert not recording.is_valid()
        assert recording.errors["file"] == [message]
        announcement = AnnouncementForm({"text": "Thử"}, {"recording_file": upload()})
        assert not announcement.is_valid()
        assert announcement.errors["recording_file"] == [message]


def test_a_wav_and_an_mp3_pass_the_loudspeaker_check() -> None:
    from pctt.loudspeakers.forms import RecordingForm

    for name, head in (("a.wav", WAV_HEAD), ("a.mp3", b"\xff\xfa\x90\x00"), ("b.mp3", b"ID3")):
        form = RecordingForm({"title": "x"}, {"file": SimpleUploadedFile(name, head + b"\0" * 64)})
        assert form.is_valid(), (name, form.errors)


# -- the onboarding wizard's GeoJSON upload -----------------------------------------------------
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("to.geojson", b"PK\x03\x04zip"), TYPE_REFUSED),
        (lambda: SimpleUploadedFile("to.geojson", HTML), TYPE_REFUSED),
        (lambda: SimpleUploadedFile("to.geojson.exe", b"{}"), TYPE_REFUSED),
        (lambda: SimpleUploadedFile("to.kml", b"<kml/>"), TYPE_REFUSED),
        (lambda: _declared("to.geojson", b"{}", 10**9), "Tệp lớn hơn"),
    ],
)
def test_hostile_files_are_refused_by_onboarding_upload(upload: Any, message: str) -> None:
    from pctt.onboarding.forms import UploadForm

    with translation.override("vi"):
        form = UploadForm({}, {"file": upload()})
        assert not form.is_valid()
        assert message in form.errors["file"][0]
    good = UploadForm({}, {"file": SimpleUploadedFile("to.GeoJSON", b'{"type": "x"}')})
    assert good.is_valid() and good.cleaned_data["file"] == b'{"type": "x"}'


# -- activity evidence photos: the edit page and the phone's raw upload -------------------------
@pytest.fixture
def activity(demo_ward: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pctt.areas.models import AdminUnit
    from pctt.plans import actions, demo
    from pctt.plans.models import Organisation

    demo.load(demo_ward)
    user = get_user_model().objects.get(username="daumoi.phunu")
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    data = actions.ActivityInput(
        kind="meeting",
        held_on=timezone.localdate(),
        group_ids=[group.pk],
        theme_codes=["C4"],
        participants=30,
        women=20,
        client_id=uuid.uuid4(),
    )
    organisation = Organisation.objects.get(kind="womens_union", ward=demo_ward)
    recorded, _ = actions.record_activity(user=user, organisation=organisation, data=data)
    return recorded


def test_hostile_files_are_refused_by_plans_edit_page(activity: Any) -> None:
    client = Client()
    client.force_login(_focal())
    url = f"/ke-hoach/hoat-dong/{activity.pk}/sua/"
    for hostile in (
        SimpleUploadedFile("anh.jpg", HTML),
        SimpleUploadedFile("anh.jpg.html", JPEG_HEAD),
        SimpleUploadedFile("anh.png", JPEG_HEAD),
    ):
        response = client.post(url, {"photo": hostile}, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 400, hostile.name
        assert TYPE_REFUSED in response.content.decode(), hostile.name
    assert activity.photos.count() == 0
    good = client.post(url, {"photo": SimpleUploadedFile("anh.jpg", _photo())})
    assert good.status_code == 302 and activity.photos.count() == 1


def _focal() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="daumoi.phunu")


def test_hostile_files_are_refused_by_raw_photo_bodies(activity: Any) -> None:
    """The phone sends the image itself (no file name): Pillow must decode it, and what is
    stored is a fresh JPEG, so first bytes alone never get a file in."""
    client = Client()
    client.force_login(_focal())
    for body in (HTML, JPEG_HEAD, b"GIF89a" + b"\0" * 40, b"\0" * 100):
        response = client.post(
            f"/ke-hoach/api/hoat-dong/{activity.client_id}/anh/",
            body,
            content_type="image/jpeg",
            HTTP_X_PHOTO_ID=str(uuid.uuid4()),
            HTTP_ACCEPT_LANGUAGE="vi",
        )
        assert response.status_code == 400 and response.json()["errors"]["photo"], body[:10]
    assert activity.photos.count() == 0
