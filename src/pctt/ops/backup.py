"""`pctt backup` and `pctt restore`: the database, uploaded media and var/ secrets in one archive.

The archive is a plain ``.tar`` named ``pctt-backup-YYYYMMDD-HHMMSS.tar`` holding:

- ``manifest.json`` (first member): format, time, database vendor, the last applied migration of
  every app, and the SHA-256 and size of every other member;
- ``database.sqlite3`` (SQLite, copied with the online backup API, so the web server and the
  workers keep running) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/…``: uploaded files (photos, documents, images, audio);
- ``var/…``: the secrets under ``PCTT_VAR_DIR`` that an install needs to run (the development
  secret key, ``keys/``). Production's ``SECRET_KEY`` lives in the service's environment file:
  back that up with the machine's configuration (docs/backup.md).

Restoring checks every checksum before it touches anything, refuses an archive that is damaged,
incomplete or holds unexpected members, and refuses a database that already holds data unless
``force`` is given.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
#: What under PCTT_VAR_DIR an install needs to run (besides the database and media).
VAR_SECRETS = ("dev-secret-key", "keys")
#: Tables whose rows mean "this database is in use" (migrations alone write a few rows).
_DATA_TABLES = (
    "auth_user",
    "accounts_auditentry",
    "alerts_alert",
    "dispatch_subscriber",
    "dispatch_delivery",
    "community_submission",
    "hazards_observation",
)
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class RestoreReport:
    archive: Path
    created_at: str
    vendor: str
    media_files: int = 0
    var_files: int = 0
    notes: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (apt-get install"
            " postgresql-client) of the server's version."
        )
    return found


def _dump_database(target: Path) -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        destination = sqlite3.connect(target)
        try:
            if name != ":memory:" and not name.startswith("file:") and Path(name).is_file():
                # The online backup API through a connection of our own: a consistent copy of
                # what is committed, while the web server and the workers keep writing.
                source = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
                try:
                    source.backup(destination)
                finally:
                    source.close()
            else:
                # An in-memory database lives only in Django's connection; the backup API
                # would wait forever for a write transaction of that same connection.
                if connection.in_atomic_block:
                    raise BackupError("cannot back up an in-memory database inside a transaction")
                connection.ensure_connection()
                connection.connection.backup(destination)
        finally:
            destination.close()
    elif vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [
                _tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                str(connection.settings_dict["NAME"]),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:2000]}")
    else:
        raise BackupError(f"backing up a {vendor} database is not supported")
    return vendor


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def archive_name(now: datetime) -> str:
    return f"pctt-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"


def create_backup(to_dir: Path | None = None, *, now: datetime | None = None) -> Path:
    """Write one archive into *to_dir* (default ``PCTT_BACKUP_DIR``); returns its path."""
    now = now or timezone.now()
    to_dir = Path(to_dir or settings.PCTT_BACKUP_DIR)
    to_dir.mkdir(parents=True, exist_ok=True)
    final = to_dir / archive_name(now)
    with tempfile.TemporaryDirectory(dir=to_dir, prefix=".pctt-backup-") as staging_name:
        staging = Path(staging_name)
        members: list[tuple[str, Path]] = []
        vendor = connection.vendor
        db_file = staging / DB_FILES.get(vendor, "database")
        vendor = _dump_database(db_file)
        members.append((db_file.name, db_file))
        media_root = Path(settings.MEDIA_ROOT)
        for path in _files_under(media_root):
            members.append((f"media/{path.relative_to(media_root).as_posix()}", path))
        var_dir = Path(settings.VAR_DIR)
        for name in VAR_SECRETS:
            source = var_dir / name
            if source.is_file():
                members.append((f"var/{name}", source))
            for path in _files_under(source):
                members.append((f"var/{path.relative_to(var_dir).as_posix()}", path))
        manifest = {
            "format": FORMAT,
            "program": "pctt",
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "file": db_file.name},
            "migrations": _migrations(),
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in members
            },
        }
        partial = staging / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in members:
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with path.open("rb") as content:
                    tar.addfile(info, content)
        partial.chmod(0o600)  # it holds residents' contacts: readable by the service only
        partial.replace(final)
    return final


# -- restore ---------------------------------------------------------------------------------


def _damaged(archive: Path, why: str) -> BackupError:
    return BackupError(f"{archive}: not a usable pctt backup ({why}); nothing was restored.")


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and name == path.as_posix()
        and (name in (MANIFEST, *DB_FILES.values()) or path.parts[0] in ("media", "var"))
    )


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest, after checking every member against it; BackupError when anything is off."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        with tarfile.open(archive, "r:") as tar:
            members = tar.getmembers()
            by_name = {m.name: m for m in members}
            if len(by_name) != len(members):
                raise _damaged(archive, "a member appears twice")
            meta = by_name.get(MANIFEST)
            if meta is None or not meta.isfile() or meta.size > 10_000_000:
                raise _damaged(archive, "no manifest")
            extracted = tar.extractfile(meta)
            assert extracted is not None
            try:
                manifest = json.loads(extracted.read())
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _damaged(archive, "the manifest is not JSON") from exc
            if not isinstance(manifest, dict) or manifest.get("program") != "pctt":
                raise _damaged(archive, "the manifest is not a pctt manifest")
            if manifest.get("format") != FORMAT:
                raise _damaged(archive, f"unknown format {manifest.get('format')!r}")
            files = manifest.get("files")
            database = manifest.get("database")
            if not isinstance(files, dict) or not isinstance(database, dict):
                raise _damaged(archive, "the manifest lists no files")
            if database.get("file") not in files:
                raise _damaged(archive, "the database is missing")
            listed = set(files)
            present = set(by_name) - {MANIFEST}
            if listed - present:
                raise _damaged(archive, f"missing: {', '.join(sorted(listed - present)[:5])}")
            if present - listed:
                raise _damaged(archive, f"not in the manifest: {sorted(present - listed)[0]}")
            for name in sorted(listed):
                member = by_name[name]
                expected = files[name]
                if not member.isfile() or not _safe_name(name) or not isinstance(expected, dict):
                    raise _damaged(archive, f"unexpected member {name!r}")
                if member.size != expected.get("size"):
                    raise _damaged(archive, f"{name} has the wrong size")
                digest = hashlib.sha256()
                source = tar.extractfile(member)
                assert source is not None
                while block := source.read(_CHUNK):
                    digest.update(block)
                if digest.hexdigest() != expected.get("sha256"):
                    raise _damaged(archive, f"checksum mismatch for {name}")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _damaged(archive, f"the archive cannot be read: {exc}") from exc
    return manifest


def database_holds_data() -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _DATA_TABLES:
            if table in tables:
                cursor.execute(
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1"  # noqa: S608
                )
                if cursor.fetchone() is not None:
                    return True
    return False


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(name)
    assert source is not None
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, _CHUNK)


def _restore_sqlite(dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(dump)
    try:
        if name == ":memory:" or name.startswith("file:"):
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            destination = sqlite3.connect(name)
            try:
                source.backup(destination)
            finally:
                destination.close()
    finally:
        source.close()


def _restore_postgresql(dump: Path, *, force: bool) -> None:
    args, env = _pg_args(connection.settings_dict)
    connections.close_all()
    clean = ["--clean", "--if-exists"] if force else []
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        [
            _tool("pg_restore"),
            *args,
            *clean,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")


def restore_backup(archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore *archive* into this install's database, media folder and var/ folder."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    vendor = str(manifest["database"].get("vendor"))
    if vendor != connection.vendor:
        raise BackupError(
            f"{archive} holds a {vendor} database, but this install uses {connection.vendor}:"
            " set DATABASE_URL to a database of the same kind."
        )
    if database_holds_data() and not force:
        raise BackupError(
            "The database already holds data (users, warnings or subscribers). Restore into a"
            " fresh database, or add --force to replace everything in it."
        )
    report = RestoreReport(archive=archive, created_at=str(manifest["created_at"]), vendor=vendor)
    media_root = Path(settings.MEDIA_ROOT)
    var_dir = Path(settings.VAR_DIR)
    with (
        tempfile.TemporaryDirectory(prefix="pctt-restore-") as work_name,
        tarfile.open(archive, "r:") as tar,
    ):
        dump = Path(work_name) / "database"
        _extract(tar, str(manifest["database"]["file"]), dump)
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump, force=force)
        for name in sorted(manifest["files"]):
            parts = PurePosixPath(name).parts
            if parts[0] == "media":
                _extract(tar, name, media_root.joinpath(*parts[1:]))
                report.media_files += 1
            elif parts[0] == "var":
                target = var_dir.joinpath(*parts[1:])
                _extract(tar, name, target)
                target.chmod(0o600)
                report.var_files += 1
    restored = manifest.get("migrations") or {}
    if any(restored.get(app) != name for app, name in _code_migrations().items()):
        report.notes.append("This code has newer migrations: run `pctt migrate` now.")
    return report


def _code_migrations() -> dict[str, str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    latest: dict[str, str] = {}
    for app, name in loader.disk_migrations:
        latest[app] = max(latest.get(app, ""), name)
    return latest
