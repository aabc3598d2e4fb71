"""`pctt areas import FILE.geojson` and `pctt areas load-reference`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from pctt.areas import actions


class Command(BaseCommand):
    help = "Import administrative units and hazard zones; load the national reference list."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a GeoJSON FeatureCollection (all or nothing)")
        imp.add_argument("file", type=Path)
        sub.add_parser("load-reference", help="load the 34 provinces and 3,321 communes/wards")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options["file"])
        else:
            outcome = actions.load_reference()
            self.stdout.write(
                _("Loaded %(p)d provinces and %(c)d communes/wards.")
                % {"p": outcome.provinces, "c": outcome.communes}
            )
            for name in outcome.provinces_without_geometry:
                self.stderr.write(_("No outline found for %(name)s.") % {"name": name})

    def _import(self, path: Path) -> None:
        limit = settings.PCTT_AREAS_MAX_IMPORT_BYTES
        try:
            size = path.stat().st_size
            if size > limit:
                raise CommandError(
                    _("%(file)s is %(size)d bytes; the limit is %(limit)d.")
                    % {"file": path, "size": size, "limit": limit}
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from exc
        try:
            outcome = actions.import_areas(data, source=path.name)
        except actions.AreaImportError as exc:
            vietnamese = translation.get_language() != "en"
            for line in exc.lines(vietnamese=vietnamese):
                self.stderr.write(line)
            raise CommandError(
                _("%(n)d error(s) in %(file)s; nothing was imported.")
                % {"n": len(exc.errors), "file": path}
            ) from exc
        self.stdout.write(
            _("Imported %(file)s: %(created)d created, %(updated)d updated.")
            % {"file": path, "created": outcome.created, "updated": outcome.updated}
        )
