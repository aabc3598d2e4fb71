"""Recovery codes kept as salted hashes: the database never holds a code that works.

Each code gets its own random salt and is hashed with scrypt (memory-hard, so a stolen table
is slow to attack even though a code is short). The parameters are written with the hash,
so they can be raised later without invalidating codes already handed out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Final

ALGORITHM: Final = "scrypt"
#: scrypt cost: 4 MiB of memory and a few tens of milliseconds per code on a small server.
N: Final = 2**12
R: Final = 8
P: Final = 1
SALT_BYTES: Final = 16
DIGEST_BYTES: Final = 32


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        code.encode(), salt=salt, n=n, r=r, p=p, dklen=DIGEST_BYTES, maxmem=256 * n * r + 2**20
    )


def new_code() -> str:
    """Eight random characters (40 bits, base32 in lower case), as django-otp's static tokens
    were: the codes users already hold keep their look."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def normalise(code: str) -> str:
    """What the user typed, as stored: no spaces, lower case (codes are shown that way)."""
    return "".join(code.split()).lower()


def hash_code(code: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$digest`` for *code*, with a fresh random salt unless given."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(normalise(code), salt, N, R, P)
    return f"{ALGORITHM}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def matches(code: str, encoded: str) -> bool:
    """Whether *code* is the one hashed in *encoded*; compared in constant time. A malformed
    stored value matches nothing."""
    try:
        algorithm, n, r, p, salt, digest = encoded.split("$")
        if algorithm != ALGORITHM:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(
            normalise(code), base64.b64decode(salt, validate=True), *map(int, (n, r, p))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
