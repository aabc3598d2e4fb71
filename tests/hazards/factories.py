"""Stations, thresholds and readings made through domain code, as the back office makes them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from pctt.accounts.roles import RoleKey
from pctt.alerts.defaults import install_default_templates
from pctt.areas.actions import import_areas
from pctt.areas.models import AdminUnit
from pctt.hazards import actions
from pctt.hazards.models import Station
from tests.alerts.factories import user_with
from tests.areas.factories import collection, small_ward

__all__ = ["RoleKey", "gauge", "reading", "readings_rising", "user_with"]


def gauge(
    *,
    code: str = "TEST-01",
    thresholds: tuple[float, float, float] = (3.0, 4.0, 5.0),
    admin: AbstractBaseUser | None = None,
    **fields: Any,
) -> Station:
    """A water-level gauge with thresholds (entered by an administrator) over a small ward."""
    if not AdminUnit.objects.filter(code="W01").exists():
        import_areas(collection(*small_ward()), source="test")
    install_default_templates()
    ward = AdminUnit.objects.get(code="W01")
    station = Station.objects.create(
        code=code,
        name=f"Trạm {code}",
        kind=Station.Kind.WATER_LEVEL,
        river="Sông Thử",
        lon=105.01,
        lat=21.01,
        ward=ward,
        **fields,
    )
    station.influence_areas.set(AdminUnit.objects.groups().filter(parent=ward))
    admin = admin or user_with(RoleKey.ADMINISTRATOR, f"admin-{code.lower()}")
    bd1, bd2, bd3 = thresholds
    actions.set_thresholds(
        station,
        user=admin,
        bd1=bd1,
        bd2=bd2,
        bd3=bd3,
        source_document="Quyết định thử nghiệm",
        source_article="Điều 1",
        valid_from=timezone.now() - timedelta(days=60),
    )
    return station


def reading(value: float, *, minutes_ago: float = 0, **extra: Any) -> dict[str, Any]:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"time": at.isoformat(), "value": value, **extra}


def readings_rising(values: list[float], *, start: datetime | None = None) -> list[dict[str, Any]]:
    """One reading every 10 minutes, the last one now."""
    start = start or timezone.now() - timedelta(minutes=10 * (len(values) - 1))
    return [
        {"time": (start + timedelta(minutes=10 * i)).isoformat(), "value": v}
        for i, v in enumerate(values)
    ]
