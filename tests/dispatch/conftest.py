from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def outbox_file(tmp_path: Path) -> Callable[[], list[dict[str, Any]]]:
    """Lines written by the `file` stub provider at tmp_path/outbox.jsonl."""

    def read() -> list[dict[str, Any]]:
        path = tmp_path / "outbox.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    read.path = tmp_path / "outbox.jsonl"  # type: ignore[attr-defined]
    return read
