"""`pctt community purge`: erase residents' contacts past their retention date (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pctt.community.actions import purge_expired_contacts


class Command(BaseCommand):
    help = "Residents' voice maintenance: purge expired contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["purge"])

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_expired_contacts()
        self.stdout.write(f"{count} contacts erased")
