from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pctt.settings.env import DOCUMENTED, database_from_env
from tests.conftest import ROOT


def _import_settings(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in DOCUMENTED}
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = _import_settings("pctt.settings.prod")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_a_short_secret_key() -> None:
    assert _import_settings("pctt.settings.prod", SECRET_KEY="short").returncode != 0


def test_production_settings_start_with_a_secret_key() -> None:
    assert _import_settings("pctt.settings.prod", SECRET_KEY="k" * 50).returncode == 0


def test_sqlite_is_the_default_under_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env(tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "pctt.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5433/pctt")
    config = database_from_env(tmp_path)
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example",
        5433,
        "pctt",
    )
    assert config["CONN_MAX_AGE"] == 600


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; a file database must.
    assert mode in ("wal", "memory")


def test_local_conventions() -> None:
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.USE_TZ


def test_every_setting_read_from_the_environment_is_documented() -> None:
    docs = (ROOT / "docs" / "settings.md").read_text()
    for name in DOCUMENTED:
        assert f"`{name}`" in docs, name
    read = set(
        re.findall(
            r'env_(?:str|list)\("([A-Z_]+)"',
            "".join(p.read_text() for p in (ROOT / "src" / "pctt" / "settings").glob("*.py")),
        )
    )
    assert read <= set(DOCUMENTED)


def test_production_collectstatic_succeeds(tmp_path: Path) -> None:
    """The manifest storage refuses any static file that references a missing one."""
    env = {
        **os.environ,
        "PCTT_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "s" * 50,
        "DJANGO_SETTINGS_MODULE": "pctt.settings.prod",
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pctt.cli", "collectstatic", "--no-input", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
