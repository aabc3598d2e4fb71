"""Residents' photos: type-checked, size-limited, re-encoded. Pure Python + Pillow.

Re-encoding from pixels drops everything that is not the picture: EXIF (camera, owner, time,
GPS), comments, and anything appended to the file (a "polyglot" that is also HTML or a
script). The location is read out only when the resident agreed to share it, and then kept
as two numbers on the submission, never inside the image.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; more is a decompression bomb
MAX_SIDE = 1600  # enough to see a crack in a dyke, small enough for a cheap phone's data
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})
_GPS_IFD = 0x8825


class PhotoError(ValueError):
    """Not a usable photo. ``code`` is one of ``empty``, ``too_large``, ``format``,
    ``pixels``, ``unreadable`` (the form turns it into a translated message)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class CleanPhoto:
    jpeg: bytes
    width: int
    height: int
    lon: float | None = None
    lat: float | None = None


def _degrees(value: object, ref: object) -> float | None:
    try:
        d, m, s = (float(part) for part in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    return -result if ref in ("S", "W", b"S", b"W") else result


def _gps(image: Image.Image) -> tuple[float | None, float | None]:
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        return None, None
    lat = _degrees(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lon, 6), round(lat, 6)


def clean(data: bytes, *, keep_location: bool = False) -> CleanPhoto:
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise PhotoError("format")
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError("pixels")
            image.load()
            lon, lat = _gps(image) if keep_location else (None, None)
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
    except PhotoError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        OSError,
        ValueError,
        SyntaxError,  # Pillow raises it for some broken headers
    ) as exc:
        raise PhotoError("unreadable") from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)  # no exif= : nothing carried over
    return CleanPhoto(out.getvalue(), image.width, image.height, lon, lat)
