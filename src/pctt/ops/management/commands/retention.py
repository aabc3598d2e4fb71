"""`pctt retention`: apply the retention periods of personal data (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pctt.ops.retention import run_retention


class Command(BaseCommand):
    help = "Erase or anonymise personal data past its retention period (docs/settings.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_retention()
        for name, count in result.as_dict().items():
            self.stdout.write(f"{name}: {count}")
