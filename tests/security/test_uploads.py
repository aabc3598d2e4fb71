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
ENTRY = "tests/security/test_upload_entry_points.py::test_hostile_files_are_refused_by_"

#: The shared check is called (directly, or through a helper of the same module that calls it)
#: inside the class or function named; verified below from the source.
SHARED = "pctt.accounts.uploads.check_upload"

#: Every place a file enters our code -> how its type and size are checked. Keys: the file
#: (under src/pctt), then the class.field of a file field, or the function reading
#: request.FILES or the raw request body. Either SHARED, or (why, the test that proves it).
UPLOAD_ENTRY_POINTS: dict[tuple[str, str], str | tuple[str, str]] = {
    # Form fields: residents, officials and administrators upload through these.
    ("community/forms.py", "PublicSubmissionForm.photo"): SHARED,
    ("loudspeakers/forms.py", "RecordingForm.file"): SHARED,
    ("loudspeakers/forms.py", "AnnouncementForm.recording_file"): SHARED,
    ("onboarding/forms.py", "UploadForm.file"): SHARED,
    ("plans/views.py", "edit"): SHARED,
    # Views that hand request.FILES to one of the forms above.
    ("community/views.py", "_picked"): ("bound to PublicSubmissionForm", ENTRY + "community_form"),
    ("community/views.py", "submit"): ("bound to PublicSubmissionForm", ENTRY + "community_form"),
    ("onboarding/views.py", "_upload"): ("bound to UploadForm", ENTRY + "onboarding_upload"),
    # Bodies without a file name: stricter checks, each with its test.
    ("community/webhooks.py", "_app_body"): (
        "size cap on the body; decoded and re-encoded as JPEG by Pillow (photos.clean)",
        "tests/community/test_inbound.py::test_an_unusable_photo_keeps_the_message_and_says_why",
    ),
    ("plans/sync_api.py", "submit_photo"): (
        "size cap on the body; decoded and re-encoded as JPEG by Pillow (photos.clean)",
        ENTRY + "raw_photo_bodies",
    ),
    ("plans/upward_api.py", "receive"): (
        "signed by the ward's token; size caps; canonical JSON and a .docx (zip) check",
        "tests/plans/test_upward_api.py::"
        "test_hostile_or_broken_requests_get_a_clear_4xx_and_nothing_is_saved",
    ),
    ("hazards/api.py", "observations"): (
        "not a file: a station's JSON readings, size cap, parsed line by line",
        "tests/hazards/test_http_api.py::test_hostile_bodies_get_a_clear_error_and_are_kept",
    ),
    # Model fields: what is stored; written by pctt from a checked upload or generated.
    ("community/models/submissions.py", "Submission.photo"): (
        "written by pctt: the JPEG re-encoded from a checked upload",
        ENTRY + "community_form",
    ),
    ("plans/models/reports.py", "Report.push_document"): (
        "written by pctt (generated .docx), no upload",
        "tests/plans/test_upward_api.py::"
        "test_a_pushed_report_arrives_with_its_figures_and_docx_intact",
    ),
    ("plans/models/upward.py", "ReceivedReport.document"): (
        "written by the upward API after its checks",
        "tests/plans/test_upward_api.py::"
        "test_hostile_or_broken_requests_get_a_clear_4xx_and_nothing_is_saved",
    ),
    ("library/models/audio.py", "PageAudio.file"): (
        "written by pctt (speech synthesis), no upload",
        "",
    ),
    ("loudspeakers/models.py", "Recording.file"): (
        "written by pctt: the WAV normalised from a checked upload",
        ENTRY + "loudspeaker_recordings",
    ),
    ("loudspeakers/models.py", "ProgrammeItem.audio"): (
        "written by pctt (speech synthesis), no upload",
        "",
    ),
    ("loudspeakers/models.py", "Announcement.audio"): (
        "written by pctt (speech synthesis), no upload",
        "",
    ),
}


class _Finder(ast.NodeVisitor):
    """File fields, request.FILES reads and raw body reads, with the class/function around."""

    def __init__(self) -> None:
        self.scope: list[ast.AST] = []
        self.found: dict[str, ast.AST] = {}

    def _enter(self, node: ast.AST) -> None:
        self.scope.append(node)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _enter

    def _outer(self, kind: type) -> ast.AST | None:
        return next((n for n in reversed(self.scope) if isinstance(n, kind)), None)

    def visit_Assign(self, node: ast.Assign) -> None:
        if isinstance(node.value, ast.Call):
            func = node.value.func
            if getattr(func, "attr", getattr(func, "id", "")) in ("FileField", "ImageField"):
                owner = self._outer(ast.ClassDef)
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(owner, ast.ClassDef):
                        self.found[f"{owner.name}.{target.id}"] = owner
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        raw_read = node.attr == "read" and getattr(node.value, "id", "") == "request"
        if node.attr == "FILES" or raw_read:
            owner = self._outer((ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[arg-type]
            if owner is not None:
                self.found[owner.name] = owner  # type: ignore[attr-defined]
        self.generic_visit(node)


def _calls(node: ast.AST) -> set[str]:
    return {
        getattr(call.func, "id", getattr(call.func, "attr", ""))
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
    }


def _entry_points() -> dict[tuple[str, str], tuple[ast.AST, ast.Module]]:
    found = {}
    source = ROOT / "src" / "pctt"
    for path in source.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        finder = _Finder()
        finder.visit(tree)
        for name, owner in finder.found.items():
            found[(str(path.relative_to(source)), name)] = (owner, tree)
    return found


def _calls_the_shared_check(owner: ast.AST, module: ast.Module) -> bool:
    helpers = {"check_upload", "UploadValidator"}
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and "check_upload" in _calls(node):
            helpers.add(node.name)
    return bool(_calls(owner) & helpers)


def _test_exists(reference: str) -> bool:
    path, _, name = reference.partition("::")
    file = ROOT / path
    return file.exists() and f"def test_{name.removeprefix('test_')}(" in file.read_text()


def test_every_upload_entry_point_is_checked() -> None:
    found = _entry_points()
    unreviewed = set(found) - set(UPLOAD_ENTRY_POINTS)
    assert not unreviewed, f"new upload paths: use pctt.accounts.uploads.check_upload: {unreviewed}"
    gone = set(UPLOAD_ENTRY_POINTS) - set(found)
    assert not gone, f"listed upload paths not found any more: {gone}"
    for key, check in UPLOAD_ENTRY_POINTS.items():
        if check == SHARED:
            assert _calls_the_shared_check(*found[key]), f"{key} does not call the shared check"
        elif check[1] == "":
            # Only stored files that pctt itself writes may go without a test of their own.
            assert "/models" in key[0], key
            assert check[0].startswith("written by pctt"), key
        else:
            assert _test_exists(check[1]), f"{key}: no test {check}"


def test_the_inventory_notices_a_new_unchecked_upload(tmp_path: Path) -> None:
    module = ast.parse(
        "class F:\n    doc = forms.FileField()\n"
        "def view(request):\n    return request.FILES['x'].read()\n"
    )
    finder = _Finder()
    finder.visit(module)
    assert set(finder.found) == {"F.doc", "view"}
    assert not any(_calls_the_shared_check(owner, module) for owner in finder.found.values())
    checked = ast.parse("def view(request):\n    check_upload(request.FILES['x'], kinds=['png'])\n")
    finder = _Finder()
    finder.visit(checked)
    assert _calls_the_shared_check(finder.found["view"], checked)


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
