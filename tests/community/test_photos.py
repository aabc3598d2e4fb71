"""Photos: re-encoded from pixels, metadata and location gone unless the resident agrees."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pctt.community import photos
from tests.community.conftest import jpeg


def _exif(data: bytes) -> Image.Exif:
    return Image.open(io.BytesIO(data)).getexif()


def test_exif_and_gps_are_stripped_by_default() -> None:
    original = jpeg(gps=True)
    assert _exif(original).get(0x013B) == "Nguyen Van A"
    cleaned = photos.clean(original)
    assert len(_exif(cleaned.jpeg)) == 0
    assert b"Nguyen Van A" not in cleaned.jpeg and b"CameraMaker" not in cleaned.jpeg
    assert (cleaned.lon, cleaned.lat) == (None, None)


def test_location_is_kept_as_numbers_only_when_the_resident_agrees() -> None:
    cleaned = photos.clean(jpeg(gps=True), keep_location=True)
    assert cleaned.lat == pytest.approx(21.5) and cleaned.lon == pytest.approx(105.25)
    assert len(_exif(cleaned.jpeg)) == 0


def test_a_polyglot_loses_its_payload_and_png_becomes_jpeg() -> None:
    polyglot = jpeg() + b"<script>alert(1)</script><html>"
    cleaned = photos.clean(polyglot)
    assert b"<script>" not in cleaned.jpeg and cleaned.jpeg[:3] == b"\xff\xd8\xff"
    assert photos.clean(jpeg(fmt="PNG")).jpeg[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script></html>", "unreadable"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "unreadable"),
        (jpeg()[:40], "unreadable"),
        (b"x" * (photos.MAX_BYTES + 1), "too_large"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(photos.PhotoError) as caught:
        photos.clean(data)
    assert caught.value.code == code


def test_a_bmp_is_refused_and_a_decompression_bomb_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="BMP")
    with pytest.raises(photos.PhotoError, match="format"):
        photos.clean(out.getvalue())
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # 100 Mpx, tiny file
    with pytest.raises(photos.PhotoError) as caught:
        photos.clean(bomb.getvalue())
    assert caught.value.code in ("pixels", "unreadable")


def test_big_photos_are_scaled_down() -> None:
    cleaned = photos.clean(jpeg(size=(4000, 3000)))
    assert max(cleaned.width, cleaned.height) == photos.MAX_SIDE
