"""Demo content for `pctt demo`: the fictional gauge's fictional thresholds and readings."""

from __future__ import annotations

import math
from datetime import timedelta

from django.utils import timezone
from shapely.geometry import shape

from pctt.areas.models import AdminUnit
from pctt.hazards.models import Observation, Station, ThresholdSet
from pctt.hazards.official import install_official_stations

DEMO_STATION = "DEMO-TV-01"
FICTIONAL_SOURCE = "dữ liệu minh hoạ hư cấu"
#: Fictional thresholds for a fictional river: NOT official figures.
DEMO_THRESHOLDS = (3.0, 4.0, 5.0)
DAYS = 3
EVERY = timedelta(hours=1)


def _influence(ward: AdminUnit, station: Station) -> None:
    """The residential groups that touch the ward's flood zone."""
    zones = [s for z in ward.hazard_zones.filter(hazard="flood") if (s := z.shape()) is not None]
    groups = [
        g.pk
        for g in AdminUnit.objects.groups().filter(parent=ward, geometry__isnull=False)
        if any(shape(g.geometry).intersects(z) for z in zones)
    ]
    station.influence_areas.set(groups)


def load(ward: AdminUnit) -> None:
    install_official_stations()
    station = Station.objects.filter(code=DEMO_STATION).first()
    if station is None:
        return
    if not station.threshold_sets.exists():
        bd1, bd2, bd3 = DEMO_THRESHOLDS
        ThresholdSet.objects.create(
            station=station,
            bd1=bd1,
            bd2=bd2,
            bd3=bd3,
            source_document=FICTIONAL_SOURCE,
            source_note="Ngưỡng hư cấu cho trạm hư cấu, chỉ để trình diễn (fictional demo data).",
            is_fictional=True,
            valid_from=timezone.now() - timedelta(days=DAYS + 1),
        )
    if not station.influence_areas.exists():
        _influence(ward, station)
    if station.min_value is None:
        station.min_value, station.max_value, station.max_jump_per_hour = 0.0, 12.0, 2.0
        station.save(update_fields=["min_value", "max_value", "max_jump_per_hour"])
    if station.observations.exists():
        return
    # A calm river with a daily swell, well below the fictional BĐ1.
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    points = [now - EVERY * i for i in range(DAYS * 24, 0, -1)]
    Observation.objects.bulk_create(
        Observation(
            station=station,
            observed_at=at,
            value=round(1.8 + 0.3 * math.sin(index / 24 * 2 * math.pi), 2),
            source="csv",
        )
        for index, at in enumerate(points)
    )
    station.last_observed_at, station.last_value = (
        points[-1],
        Observation.objects.get(station=station, observed_at=points[-1]).value,
    )
    station.save(update_fields=["last_observed_at", "last_value"])
