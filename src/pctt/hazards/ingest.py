"""Readings in, from any channel: parse, check, store, quarantine, evaluate — one batch at a time.

A batch is one transaction; a bad reading never costs the good ones their place: it is kept
in quarantine with its reason. Duplicates (same station, time and kind) are acknowledged and
ignored, so a logger may safely resend. Called only through `actions.receive_readings`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pctt.core.nul import without_nul
from pctt.hazards import evaluation
from pctt.hazards.core.readings import Reading, Reason, RejectedReading, check, parse_reading
from pctt.hazards.models import Observation, QuarantinedReading, Station

MAX_BATCH = 1000
RAW_KEPT = 2000  # characters of a rejected reading kept in quarantine


@dataclass(frozen=True)
class Rejection:
    index: int
    station: str
    reason: str
    detail: str


@dataclass
class BatchResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    proposals: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": [r.__dict__ for r in self.rejected],
            "proposals": self.proposals,
        }


def _raw_text(raw: Any) -> str:
    try:
        text = json.dumps(raw, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(raw)
    return without_nul(text[:RAW_KEPT])


def _code_of(raw: Any, default: str) -> str:
    code = raw.get("station", default) if isinstance(raw, dict) else default
    return without_nul(code[:32]) if isinstance(code, str) else ""


def ingest(
    raws: list[Any],
    *,
    source: str,
    only_station: Station | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """`only_station`: the station a token or topic speaks for; readings naming another are
    refused (a gauge's token cannot write another gauge's data)."""
    if len(raws) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} readings per batch")
    now = now or timezone.now()
    default_code = only_station.code if only_station else ""
    result = BatchResult()
    quarantine: list[QuarantinedReading] = []

    def reject(index: int, raw: Any, error: RejectedReading) -> None:
        code = _code_of(raw, default_code)
        result.rejected.append(Rejection(index, code, error.reason, error.detail))
        quarantine.append(
            QuarantinedReading(
                source=source,
                station_code=code,
                reason=error.reason,
                detail=without_nul(error.detail[:300]),
                raw=_raw_text(raw),
            )
        )

    parsed: list[tuple[int, Any, Reading]] = []
    for index, raw in enumerate(raws):
        try:
            parsed.append((index, raw, parse_reading(raw, default_station=default_code)))
        except RejectedReading as error:
            reject(index, raw, error)

    with transaction.atomic():
        codes = {reading.station for _i, _raw, reading in parsed}
        stations = {s.code: s for s in Station.objects.select_for_update().filter(code__in=codes)}
        existing = set(
            Observation.objects.filter(
                station__in=stations.values(),
                observed_at__in={reading.time for _i, _raw, reading in parsed},
            ).values_list("station_id", "is_forecast", "observed_at")
        )
        previous: dict[int, tuple[datetime, float] | None] = {
            s.pk: (s.last_observed_at, s.last_value)
            if s.last_observed_at is not None and s.last_value is not None
            else None
            for s in stations.values()
        }
        new_rows: list[Observation] = []
        seen: set[tuple[int, bool, datetime]] = set()
        # In time order, so the jump check compares each reading with the one before it.
        for index, raw, reading in sorted(parsed, key=lambda item: item[2].time):
            station = stations.get(reading.station)
            try:
                if station is None:
                    raise RejectedReading(
                        Reason.UNKNOWN_STATION, f"no station with code {reading.station!r}"
                    )
                if only_station is not None and station.pk != only_station.pk:
                    raise RejectedReading(
                        Reason.NOT_ALLOWED, f"this sender may not report for {reading.station!r}"
                    )
                key = (station.pk, reading.forecast, reading.time)
                if key in existing or key in seen:
                    result.duplicates += 1
                    continue
                before = previous[station.pk]
                usable = before if before is not None and before[0] < reading.time else None
                check(reading, station.limits(), now=now, previous=usable)
            except RejectedReading as error:
                reject(index, raw, error)
                continue
            seen.add(key)
            new_rows.append(
                Observation(
                    station=station,
                    observed_at=reading.time,
                    value=reading.value,
                    is_forecast=reading.forecast,
                    source=source,
                )
            )
            if not reading.forecast and (before is None or before[0] < reading.time):
                previous[station.pk] = (reading.time, reading.value)
        Observation.objects.bulk_create(new_rows, ignore_conflicts=True)
        QuarantinedReading.objects.bulk_create(quarantine)
        result.accepted = len(new_rows)
        result.rejected.sort(key=lambda r: r.index)
        for station in stations.values():
            fresh = [
                (row.observed_at, row.value)
                for row in new_rows
                if row.station_id == station.pk and not row.is_forecast
            ]
            proposal = evaluation.evaluate(station, fresh)
            if proposal is not None:
                result.proposals.append(proposal.pk)
    return result
