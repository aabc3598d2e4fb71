"""Stations and alarm levels that an official decision sets, shipped with their citation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from pctt.accounts.audit import log_action
from pctt.hazards.models import Station, ThresholdSet

DATA = Path(__file__).resolve().parent / "data" / "official_stations.json"


def official_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@transaction.atomic
def install_official_stations() -> int:
    """Idempotent: adds missing stations and their thresholds; changes nothing entered later."""
    data = official_data()
    added = 0
    for item in data["stations"]:
        station, created = Station.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": Station.Kind.WATER_LEVEL,
                "river": item["river"],
                "province": item["province"],
                "unit": "m",
            },
        )
        if station.threshold_sets.exists():
            continue
        bd1, bd2, bd3 = item["bd"]
        ThresholdSet.objects.create(
            station=station,
            bd1=bd1,
            bd2=bd2,
            bd3=bd3,
            source_document=data["source_document"],
            source_article=data["source_article"],
            source_note=data["source_note"],
        )
        log_action(
            "pctt.hazards.thresholds",
            user=None,
            instance=station,
            data={"bd": item["bd"], "source": data["source_document"], "shipped": True},
        )
        added += int(created)
    return added
