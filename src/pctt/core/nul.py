"""NUL characters in input: PostgreSQL text cannot hold U+0000, SQLite can.

A JSON body may carry ``"\\u0000"`` in any string and a raw body may carry the byte itself. Both
are hostile or broken input, so APIs refuse such payloads with a clear 400 (``contains_nul``), and
where the input is kept for inspection anyway (quarantine) the character is replaced
(``without_nul``) so that nothing is lost but the one character PostgreSQL cannot store.

Pure Python, no Django import.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REPLACEMENT", "contains_nul", "without_nul"]

REPLACEMENT = "\ufffd"
_MAX_DEPTH = 200  # deeper than any body json.loads accepts before RecursionError


def without_nul(text: str) -> str:
    """*text* with every U+0000 replaced by U+FFFD, the Unicode replacement character."""
    return text.replace("\x00", REPLACEMENT)


def contains_nul(data: Any, _depth: int = 0) -> bool:
    """Whether any string (key or value) in parsed JSON-like *data* holds U+0000."""
    if isinstance(data, str):
        return "\x00" in data
    if _depth > _MAX_DEPTH:
        return False
    if isinstance(data, dict):
        return any(
            contains_nul(k, _depth + 1) or contains_nul(v, _depth + 1) for k, v in data.items()
        )
    if isinstance(data, list | tuple):
        return any(contains_nul(item, _depth + 1) for item in data)
    return False
