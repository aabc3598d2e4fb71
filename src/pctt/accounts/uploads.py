"""One check for uploaded files: size limit and content type by the file's first bytes
(never by its name or the browser's Content-Type alone).

Use `check_upload(upload, kinds=...)` in a form's clean method, or `UploadValidator(...)` on a
model or form field. Apps that parse the file further (Pillow for photos, the GeoJSON reader,
the audio decoder) still do; this is the cheap first gate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

#: kind -> (signatures at offset 0, extensions accepted)
SIGNATURES: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "gif": ((b"GIF87a", b"GIF89a"), (".gif",)),
    "webp": ((b"RIFF",), (".webp",)),
    "pdf": ((b"%PDF-",), (".pdf",)),
    "docx": ((b"PK\x03\x04",), (".docx",)),
    "xlsx": ((b"PK\x03\x04",), (".xlsx",)),
    "wav": ((b"RIFF",), (".wav",)),
    # ID3 tag, or an MPEG audio frame header (11 sync bits, layer I-III): as the audio decoder.
    "mp3": ((b"ID3", *(bytes((0xFF, b)) for b in range(0xE0, 0x100) if b & 0x06)), (".mp3",)),
    "ogg": ((b"OggS",), (".ogg", ".oga", ".opus")),
    "json": ((b"{", b"["), (".json", ".geojson")),
}
_RIFF_FORMS = {"webp": b"WEBP", "wav": b"WAVE"}


def sniff(head: bytes, name: str, kinds: Iterable[str]) -> str | None:
    """The kind among *kinds* that both the first bytes and the name's extension fit."""
    lowered = name.lower()
    for kind in kinds:
        signatures, extensions = SIGNATURES[kind]
        if not lowered.endswith(extensions):
            continue
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n") if kind == "json" else head
        if not start.startswith(signatures):
            continue
        if kind in _RIFF_FORMS and head[8:12] != _RIFF_FORMS[kind]:
            continue
        return kind
    return None


def check_upload(upload: Any, *, kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Refuse an upload that is too large or not one of *kinds*; return the kind found."""
    kinds = tuple(kinds)
    limit = max_bytes if max_bytes is not None else int(settings.PCTT_UPLOAD_MAX_BYTES)
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    stream: IO[bytes] = upload
    position = stream.tell() if hasattr(stream, "tell") else 0
    head = stream.read(64)
    stream.seek(position)
    kind = sniff(head, str(getattr(upload, "name", "") or ""), kinds)
    if kind is None:
        allowed = ", ".join(ext for k in kinds for ext in SIGNATURES[k][1])
        raise ValidationError(
            _("This file type is not accepted here. Accepted: %(types)s.") % {"types": allowed},
            code="wrong_type",
        )
    return kind


@deconstructible
class UploadValidator:
    def __init__(self, kinds: Iterable[str], max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload: Any) -> None:
        check_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))
