"""`pctt backup [--to DIR]`: database, media and var/ secrets in one checked archive."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pctt.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a backup archive (database, uploaded media, var/ secrets) with checksums."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--to", type=Path, help="folder for the archive (PCTT_BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = create_backup(options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
