"""Signing a ward's report to the province, and checking it: pure Python, no Django import.

A push carries the report's figures as canonical JSON and its .docx. The ward signs six lines
joined by newlines: "pctt-upward-v1", the timestamp, a nonce, the ward's code, the sha256 of
the canonical JSON and the sha256 of the .docx, with HMAC-SHA256. The key is the SHA-256 of
the ward's API token: the province keeps only that hash (never the token), so it can check
the Bearer token (hash and compare) and the signature (key = the hash), and a copy of its
database is not enough to authenticate as a ward. See docs/plans.md, "Upward".
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_JSON_BYTES",
    "SIGNATURE_WINDOW_SECONDS",
    "CanonicalError",
    "DocxError",
    "PullRequest",
    "Signed",
    "canonical_json",
    "check_docx",
    "check_timestamp",
    "hash_token",
    "headers",
    "new_nonce",
    "new_token",
    "parse_json",
    "sha256_hex",
    "sign",
    "sign_pull",
    "signing_key",
    "verify",
    "verify_pull",
]

SCHEME = "pctt-upward-v1"
MAX_JSON_BYTES = 1_000_000
MAX_DOCX_BYTES = 10_000_000
#: Signatures older (or further in the future) than this are refused; nonces are kept as long.
SIGNATURE_WINDOW_SECONDS = 300
TOKEN_PREFIX = "pctt_"  # noqa: S105 - a prefix, not a secret
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
#: Strings and lists deeper than this are refused before canonicalisation.
MAX_DEPTH = 32

DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: How much of [Content_Types].xml we are willing to read: a real one is a few kilobytes.
MAX_CONTENT_TYPES_BYTES = 64_000
MAX_ZIP_ENTRIES = 2_000


class CanonicalError(ValueError):
    """The value cannot be written as canonical JSON (floats, NaN, non-string keys…)."""


class DocxError(ValueError):
    """The bytes are not a Word document."""


def canonical_json(value: Any) -> bytes:
    """One byte string per value: keys sorted, no spaces, UTF-8, integers only (no floats:
    their text form is ambiguous between languages, and report figures are counts)."""
    _check(value, 0)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalError("nested too deeply")
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError("object keys must be strings")
            _check(item, depth + 1)
        return
    raise CanonicalError(f"not allowed in canonical JSON: {type(value).__name__}")


def parse_json(raw: bytes) -> Any:
    """Strict parsing: UTF-8, no NaN/Infinity, no floats, no duplicate keys."""

    def no_constants(name: str) -> Any:
        raise CanonicalError(f"not allowed: {name}")

    def no_floats(text: str) -> Any:
        raise CanonicalError("numbers must be whole")

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, item in pairs:
            if key in result:
                raise CanonicalError(f"duplicate key: {key[:40]}")
            result[key] = item
        return result

    try:
        text = raw.decode("utf-8")
        value = json.loads(
            text,
            parse_constant=no_constants,
            parse_float=no_floats,
            object_pairs_hook=unique_keys,
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CanonicalError(f"not JSON: {exc}") from None
    _check(value, 0)
    return value


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_token() -> str:
    """An API token for a ward: 256 random bits, shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the province stores. A fast hash suffices: the token is random, not a password."""
    return sha256_hex(token.encode("utf-8"))


def signing_key(token_hash: str) -> bytes:
    return bytes.fromhex(token_hash)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Signed:
    timestamp: int
    nonce: str
    ward_code: str
    json_sha256: str
    docx_sha256: str

    def message(self) -> bytes:
        lines = [
            SCHEME,
            str(self.timestamp),
            self.nonce,
            self.ward_code,
            self.json_sha256,
            self.docx_sha256,
        ]
        return "\n".join(lines).encode("utf-8")


def sign(key: bytes, signed: Signed) -> str:
    return hmac.new(key, signed.message(), hashlib.sha256).hexdigest()


def verify(key: bytes, signed: Signed, signature: str) -> bool:
    expected = sign(key, signed)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().lower().encode())


PULL_SCHEME = "pctt-upward-pull-v1"


@dataclass(frozen=True)
class PullRequest:
    """The province asking a ward for its reports (the pull alternative to the ward's push).

    Signed with the same key (the SHA-256 of the ward's token, which both ends hold), over
    the scheme, time, nonce, the ward's code and the path asked for, so a request cannot be
    replayed, aimed at another ward, or moved to another path."""

    timestamp: int
    nonce: str
    ward_code: str
    path: str

    def message(self) -> bytes:
        lines = [PULL_SCHEME, str(self.timestamp), self.nonce, self.ward_code, self.path]
        return "\n".join(lines).encode("utf-8")


def sign_pull(key: bytes, request: PullRequest) -> str:
    return hmac.new(key, request.message(), hashlib.sha256).hexdigest()


def verify_pull(key: bytes, request: PullRequest, signature: str) -> bool:
    expected = sign_pull(key, request)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().lower().encode())


HEADER_TIMESTAMP = "X-Pctt-Timestamp"
HEADER_NONCE = "X-Pctt-Nonce"
HEADER_SIGNATURE = "X-Pctt-Signature"


def headers(token: str, signed: Signed, signature: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        HEADER_TIMESTAMP: str(signed.timestamp),
        HEADER_NONCE: signed.nonce,
        HEADER_SIGNATURE: signature,
    }


def check_timestamp(timestamp: int, now: float, window: int = SIGNATURE_WINDOW_SECONDS) -> bool:
    """Within the window either side of now (clocks of two servers drift a little)."""
    return abs(now - timestamp) <= window


def check_docx(data: bytes) -> None:
    """A .docx is a zip whose [Content_Types].xml names a WordprocessingML main part.

    Reads the central directory and that one small entry only: nothing is unpacked, nothing
    named inside is fetched."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocxError("too large")
    if not data.startswith(b"PK\x03\x04"):
        raise DocxError("not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise DocxError("too many entries")
            info = next((e for e in entries if e.filename == "[Content_Types].xml"), None)
            if info is None:
                raise DocxError("no [Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise DocxError("[Content_Types].xml too large")
            with archive.open(info) as member:
                content_types = member.read(MAX_CONTENT_TYPES_BYTES + 1)
            names = {e.filename for e in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, DocxError):
            raise
        raise DocxError(f"broken zip archive: {exc}") from None
    if len(content_types) > MAX_CONTENT_TYPES_BYTES:
        raise DocxError("[Content_Types].xml too large")
    text = content_types.decode("utf-8", errors="replace")
    match = re.search(r'PartName="/([^"]+)"\s+ContentType="' + re.escape(DOCX_MAIN_TYPE), text)
    if match is None:
        match = re.search(
            r'ContentType="' + re.escape(DOCX_MAIN_TYPE) + r'"\s+PartName="/([^"]+)"', text
        )
    if match is None:
        raise DocxError("not a Word document (no WordprocessingML main part)")
    if match.group(1) not in names:
        raise DocxError("the main document part is missing")
