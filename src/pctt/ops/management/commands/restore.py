"""`pctt restore ARCHIVE [--force]`: restore a backup into this install (a fresh one)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pctt.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive; refuses a damaged archive and a database holding data."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["archive"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.vendor} database of {report.created_at},"
            f" {report.media_files} media files, {report.var_files} var/ files."
        )
        for note in report.notes:
            self.stdout.write(note)
