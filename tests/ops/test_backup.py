"""`pctt backup` and `pctt restore`: a fresh install restored from an archive finds everything."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pctt.ops.backup import BackupError, create_backup, read_manifest
from tests.conftest import ROOT, service_or_skip
from tests.ops.populate import PHOTO, PHOTO_NAME, counts, populate


def _pctt(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pctt.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pctt.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _fresh_sqlite(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    db = fresh / "pctt.sqlite3"
    return db, {"DATABASE_URL": f"sqlite:///{db}", "PCTT_VAR_DIR": str(fresh)}


# Backups read committed data: these tests commit (the in-memory test database is flushed after).
# A transactional test starts from a flushed database: Wagtail's tree is put back first.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("wagtail_tree")]


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own test")


def test_restore_into_a_fresh_install_finds_everything(
    demo_ward: object, tmp_path: Path, var_dir: Path, sqlite_only: None
) -> None:
    populate(demo_ward)
    (var_dir / "dev-secret-key").write_text("kept-secret")
    with connection.cursor() as cursor:
        before = counts(cursor)
    assert all(before.values()), before

    archive = create_backup(tmp_path / "backups")
    assert archive.name.startswith("pctt-backup-") and archive.suffix == ".tar"
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == "sqlite"
    assert f"media/{PHOTO_NAME}" in manifest["files"]

    db, env = _fresh_sqlite(tmp_path)
    result = _pctt("restore", str(archive), env=env)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as restored:
        after = counts(restored.cursor())
    assert after == before
    fresh = Path(env["PCTT_VAR_DIR"])
    assert (fresh / "media" / PHOTO_NAME).read_bytes() == PHOTO
    assert (fresh / "dev-secret-key").read_text() == "kept-secret"


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    demo_ward: object, tmp_path: Path, sqlite_only: None
) -> None:
    populate(demo_ward)
    archive = create_backup(tmp_path / "backups")
    _db, env = _fresh_sqlite(tmp_path)
    assert _pctt("restore", str(archive), env=env).returncode == 0

    again = _pctt("restore", str(archive), env=env)
    assert again.returncode != 0
    assert "already holds data" in again.stderr
    assert _pctt("restore", str(archive), "--force", env=env).returncode == 0


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    with tarfile.open(archive) as src, tarfile.open(target, "w") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            data = change(member.name, data)
            member.size = len(data)
            import io

            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda a, t: t.write_bytes(a.read_bytes()[: a.stat().st_size // 2]), "cannot be read"),
        (lambda a, t: t.write_bytes(b"not a tar at all"), "cannot be read"),
        (
            lambda a, t: _rewrite(
                a, t, lambda n, d: d[:-1] + bytes([d[-1] ^ 1]) if n.startswith("database") else d
            ),
            "checksum mismatch",
        ),
        (
            lambda a, t: _rewrite(
                a,
                t,
                lambda n, d: (
                    json.dumps({**json.loads(d), "format": 99}).encode()
                    if n == "manifest.json"
                    else d
                ),
            ),
            "unknown format",
        ),
    ],
    ids=["truncated", "not-a-tar", "flipped-bit", "unknown-format"],
)
def test_a_damaged_archive_is_refused_before_anything_is_touched(
    demo_ward: object, tmp_path: Path, damage: Any, message: str, sqlite_only: None
) -> None:
    populate(demo_ward)
    archive = create_backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar"
    damage(archive, damaged)
    with pytest.raises(BackupError, match=message):
        read_manifest(damaged)
    db, env = _fresh_sqlite(tmp_path)
    result = _pctt("restore", str(damaged), env=env)
    assert result.returncode != 0
    assert "nothing was restored" in result.stderr
    assert not db.exists() or db.stat().st_size == 0 or _tables(db) == 0


def _tables(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def test_an_archive_with_a_path_outside_its_folders_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar"
    payload = b"x"
    import hashlib
    import io

    manifest = {
        "format": 1,
        "program": "pctt",
        "created_at": "2026-01-01T00:00:00+00:00",
        "database": {"vendor": "sqlite", "file": "database.sqlite3"},
        "files": {
            name: {"sha256": hashlib.sha256(payload).hexdigest(), "size": 1}
            for name in ("database.sqlite3", "media/../../etc/cron.d/x")
        },
    }
    with tarfile.open(evil, "w") as tar:
        for name, data in (
            ("manifest.json", json.dumps(manifest).encode()),
            ("database.sqlite3", payload),
            ("media/../../etc/cron.d/x", payload),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="unexpected member"):
        read_manifest(evil)


def test_backup_command_writes_an_archive_to_the_folder_given(
    demo_ward: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], sqlite_only: None
) -> None:
    call_command("backup", "--to", str(tmp_path / "out"))
    archives = list((tmp_path / "out").glob("pctt-backup-*.tar"))
    assert len(archives) == 1
    assert oct(archives[0].stat().st_mode & 0o777) == "0o600"
    assert str(archives[0]) in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_fresh_database(tmp_path: Path, var_dir: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    service_or_skip("127.0.0.1", 5432, "PostgreSQL")
    import psycopg

    from pctt.areas.models import AdminUnit
    from pctt.demo.load import WARD_CODE, load_demo

    load_demo(full_reference=False, app_content=False)
    populate(AdminUnit.objects.get(code=WARD_CODE))
    with connection.cursor() as cursor:
        before = counts(cursor)
    assert all(before.values()), before
    archive = create_backup(tmp_path / "backups")
    assert read_manifest(archive)["database"]["file"] == "database.pgdump"

    settings_dict = connection.settings_dict
    name = f"pctt_restore_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        fresh = tmp_path / "fresh"
        env = {"DATABASE_URL": f"{admin}/{name}", "PCTT_VAR_DIR": str(fresh)}
        result = _pctt("restore", str(archive), env=env)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(f"{admin}/{name}") as restored:
            after = counts(restored.cursor())
        assert after == before
        assert (fresh / "media" / PHOTO_NAME).read_bytes() == PHOTO
        again = _pctt("restore", str(archive), env=env)
        assert again.returncode != 0 and "already holds data" in again.stderr
        assert _pctt("restore", str(archive), "--force", env=env).returncode == 0
    finally:
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
