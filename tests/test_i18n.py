"""The Vietnamese catalogue is complete and compiled (a drift guard).

makemessages runs on a copy of the package, so the test sees every translatable string
in the source without touching the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

PACKAGE = ROOT / "src" / "pctt"
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES"


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        if IN_CI:
            pytest.fail(f"{tool} missing (apt-get install gettext)")
        pytest.skip(f"{tool} missing (apt-get install gettext)")


def _entries(po: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; a tiny reader that is enough for our files."""
    entries = []
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, parts = None, {"msgid": "", "msgstr": ""}
        for line in lines:
            if line.startswith("msgstr["):  # plural forms: Vietnamese has one
                current = "msgstr"
                line = line.split(" ", 1)[1]
            for key in ("msgid", "msgstr"):
                if line.startswith(key + " "):
                    current = key
                    line = line[len(key) + 1 :]
            if current and line.startswith('"'):
                parts[current] += line[1:-1]
        if parts["msgid"]:
            entries.append((parts["msgid"], parts["msgstr"], fuzzy))
    return entries


def test_every_translatable_string_has_a_vietnamese_translation(tmp_path: Path) -> None:
    _need("xgettext")
    copy = tmp_path / "src" / "pctt"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "reference"))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "src"),
        "DJANGO_SETTINGS_MODULE": "pctt.settings.test",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    entries = _entries((copy / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text())
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert entries and missing == []


def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    _need("msgfmt")
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), (
        "run: msgfmt -o src/pctt/locale/vi/LC_MESSAGES/django.mo "
        "src/pctt/locale/vi/LC_MESSAGES/django.po"
    )


def test_vietnamese_is_active_by_default() -> None:
    from django.utils.translation import gettext, override

    with override("vi"):
        assert gettext("Areas map") == "Bản đồ khu vực"
