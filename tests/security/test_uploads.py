"""Uploads are type-checked and size-limited: the shared check, the library's media settings,
and an inventory of every file field so that a new one is not added unexamined."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pctt.accounts.uploads import UploadValidator, check_upload
from tests.conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32

#: Every file field in our code -> where its type and size are checked.
REVIEWED_FILE_FIELDS = {
    ("community/models/submissions.py", "photo"): "re-encoded by Pillow on intake (EXIF removed)",
    ("community/forms.py", "photo"): "size limit and Pillow decoding in the form",
    ("plans/models/reports.py", "push_document"): "written by pctt (generated .docx), no upload",
    ("plans/models/upward.py", "document"): "token-authenticated API: size cap, .docx checked",
    ("library/models/audio.py", "file"): "written by pctt (speech synthesis), no upload",
    ("loudspeakers/models.py", "file"): "normalised by pctt from a checked upload",
    ("loudspeakers/models.py", "audio"): "written by pctt (speech synthesis)",
    ("loudspeakers/forms.py", "file"): "size limit, decoded by the audio decoder",
    ("loudspeakers/forms.py", "recording_file"): "size limit, decoded by the audio decoder",
    ("onboarding/forms.py", "file"): "size limit (PCTT_AREAS_MAX_IMPORT_BYTES), GeoJSON parser",
}


def _file_fields() -> set[tuple[str, str]]:
    found = set()
    source = ROOT / "src" / "pctt"
    for path in source.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            func = node.value.func
            name = getattr(func, "attr", getattr(func, "id", ""))
            if name in ("FileField", "ImageField"):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.add((str(path.relative_to(source)), target.id))
    return found


def test_every_file_field_has_been_reviewed_for_type_and_size_checks() -> None:
    unreviewed = _file_fields() - set(REVIEWED_FILE_FIELDS)
    assert not unreviewed, f"new file fields: say how type and size are checked: {unreviewed}"


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "kinds"),
    [
        ("photo.png", PNG, ("png", "jpeg")),
        ("photo.JPG", JPEG, ("png", "jpeg")),
        ("areas.geojson", b'\xef\xbb\xbf  {"type": "FeatureCollection"}', ("json",)),
        ("sound.wav", b"RIFF\0\0\0\0WAVEfmt ", ("wav",)),
    ],
)
def test_files_of_the_expected_kind_pass(name: str, data: bytes, kinds: tuple[str, ...]) -> None:
    upload = _upload(name, data)
    assert check_upload(upload, kinds=kinds) in kinds
    assert upload.read() == data  # the stream is left where it was


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", b"<html><script>alert(1)</script>"),  # a page named as an image
        ("photo.svg", b"<svg onload='alert(1)'/>"),  # SVG can carry script: not accepted
        ("photo.jpg", PNG),  # content and name disagree
        ("photo.php", JPEG),  # right bytes, executable name
        ("photo", JPEG),  # no extension
        ("sound.wav", b"RIFF\0\0\0\0WEBPVP8 "),
        ("empty.png", b""),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        check_upload(_upload(name, data), kinds=("png", "jpeg", "wav"))
    assert caught.value.code == "wrong_type"


def test_oversized_files_are_refused_before_reading(settings: pytest.FixtureRequest) -> None:
    big = _upload("photo.png", PNG + b"\0" * 2048)
    with pytest.raises(ValidationError) as caught:
        check_upload(big, kinds=("png",), max_bytes=1024)
    assert caught.value.code == "too_large"
    settings.PCTT_UPLOAD_MAX_BYTES = 16  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        UploadValidator(["png"])(_upload("p.png", PNG))


def test_library_media_settings_limit_size_and_types() -> None:
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= settings.PCTT_UPLOAD_MAX_BYTES
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert settings.WAGTAILDOCS_EXTENSIONS and not {"html", "htm", "svg", "js", "exe"} & set(
        settings.WAGTAILDOCS_EXTENSIONS
    )


@pytest.mark.django_db
def test_the_library_refuses_a_document_with_a_script_extension() -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("page.html", b"<script>alert(1)</script>")},
    )
    from wagtail.documents.models import Document

    assert not Document.objects.exists()
    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_the_library_refuses_an_image_that_is_not_an_image() -> None:
    from django.contrib.auth import get_user_model
    from wagtail.images.models import Image

    admin = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("photo.png", io.BytesIO(b"not an image").read())},
    )
    assert not Image.objects.exists()


def test_reviewed_paths_exist() -> None:
    source = ROOT / "src" / "pctt"
    missing = [p for p, _ in REVIEWED_FILE_FIELDS if not (source / Path(p)).exists()]
    assert not missing
