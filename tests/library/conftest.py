"""Library fixtures: the demo ward with its starter library, media in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def library(demo_ward: Any, media: Path) -> Any:
    from pctt.library import demo
    from pctt.library.models import LibraryIndexPage

    demo.load(demo_ward)
    return LibraryIndexPage.objects.get()


@pytest.fixture
def logins(var_dir: Path) -> dict[str, str]:
    return json.loads((var_dir / "demo-logins.json").read_text())
