"""The warning templates pctt ships, written for this project (Vietnamese and English)."""

from __future__ import annotations

import json
from importlib import resources

from django.db import transaction

from pctt.alerts.models import WarningTemplate


def default_templates() -> list[dict[str, object]]:
    data = resources.files("pctt.alerts").joinpath("data", "templates.json").read_text("utf-8")
    loaded: list[dict[str, object]] = json.loads(data)
    return loaded


@transaction.atomic
def install_default_templates() -> int:
    """Add the shipped templates that are missing; never overwrite a ward's edits."""
    existing = set(WarningTemplate.objects.values_list("key", flat=True))
    new = [WarningTemplate(**t) for t in default_templates() if t["key"] not in existing]
    WarningTemplate.objects.bulk_create(new)
    return len(new)
