"""`pctt subscribers import FILE.csv`: bulk import, all or nothing, with a progress bar."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.progress import BarColumn, Progress, TextColumn

from pctt.accounts.audit import log_action
from pctt.dispatch.imports import MAX_BYTES, ImportRefused, import_subscribers


class Command(BaseCommand):
    help = "Manage subscribers: import a CSV file of paper-form subscriptions."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import subscribers from CSV (all or nothing)")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    _("%(file)s is larger than %(n)d bytes.") % {"file": path, "n": MAX_BYTES}
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from exc
        total = max(1, data.count(b"\n"))
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            transient=True,
        ) as bar:
            task = bar.add_task(_("Checking rows"), total=total)
            try:
                report = import_subscribers(data, progress=lambda n: bar.update(task, completed=n))
            except ImportRefused as exc:
                bar.stop()
                for error in exc.report.errors:
                    self.stderr.write(
                        _("line %(line)d: %(message)s")
                        % {"line": error.line, "message": error.message}
                    )
                raise CommandError(
                    _("%(n)d error(s) in %(file)s; nothing was imported.")
                    % {"n": len(exc.report.errors), "file": path}
                ) from exc
        log_action(
            "dispatch.subscribers.import",
            user=None,
            data={"file": path.name, "created": report.created, "skipped": report.skipped},
        )
        self.stdout.write(
            _("Imported %(created)d subscribers (%(skipped)d already registered).")
            % {"created": report.created, "skipped": report.skipped}
        )
