"""Fan-out: one delivery per (recipient, channel) for a broadcast, streamed in chunks.

Recipients are read by keyset pagination over consents (never the whole audience in memory):
each chunk is matched (area membership, or a point inside the broadcast's geometry, tested
vectorised) and inserted with ``bulk_create(ignore_conflicts=True)`` on the unique key, in its
own short transaction, so a worker can start sending while the fan-out continues and a rerun
after a crash just fills the gaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from pctt.areas.geo import AreaLocator
from pctt.dispatch.models import Broadcast, Consent, Delivery, LoudspeakerCluster
from pctt.dispatch.models.outbox import CONSENT_CHANNELS, CONTENT_KEYS, Channel

logger = logging.getLogger("pctt.dispatch.fanout")

CHUNK = 20_000  # rows per page and per insert transaction (benchmarks/fanout.py)
_ADDRESS = {
    "sms": Q(channel="sms") & ~Q(subscriber__phone=""),
    "email": Q(channel="email") & ~Q(subscriber__email=""),
    "app": Q(channel="app") & ~Q(subscriber__app_id=""),
}


@dataclass(frozen=True)
class Target:
    area_ids: frozenset[int]
    locator: AreaLocator | None
    bounds: tuple[float, float, float, float] | None
    geometry: BaseGeometry | None = None

    @classmethod
    def of(cls, broadcast: Broadcast) -> Target:
        geometry: BaseGeometry | None = shape(broadcast.geometry) if broadcast.geometry else None
        if geometry is None or geometry.is_empty:
            return cls(frozenset(int(i) for i in broadcast.area_ids), None, None)
        return cls(
            frozenset(int(i) for i in broadcast.area_ids),
            AreaLocator([(0, geometry)], include_boundary=True),
            tuple(geometry.bounds),  # type: ignore[arg-type]
            geometry,
        )

    def clusters(self, *, drill: bool) -> list[int]:
        """Loudspeaker clusters whose area is targeted or overlaps the geometry."""
        clusters = LoudspeakerCluster.objects.filter(enabled=True)
        if drill:
            clusters = clusters.filter(receives_drills=True)
        found = set(clusters.filter(area_id__in=self.area_ids).values_list("pk", flat=True))
        if self.geometry is not None:
            for pk, area in clusters.exclude(pk__in=found).values_list("pk", "area__geometry"):
                if area and shape(area).intersects(self.geometry):
                    found.add(pk)
        return sorted(found)

    def query(self) -> Q:
        q = Q(subscriber__residential_group_id__in=self.area_ids)
        if self.bounds is not None:
            minx, miny, maxx, maxy = self.bounds
            q |= Q(
                subscriber__lon__gte=minx,
                subscriber__lon__lte=maxx,
                subscriber__lat__gte=miny,
                subscriber__lat__lte=maxy,
            )
        return q

    def matches(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows (consent id, subscriber id, channel, group id, lon, lat) that are targeted."""
        in_area = [r[3] in self.area_ids for r in rows]
        if self.locator is None:
            return [r for r, ok in zip(rows, in_area, strict=True) if ok]
        lon = np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64)
        lat = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64)
        inside = self.locator.locate(lon, lat) == 0
        return [r for r, a, p in zip(rows, in_area, inside.tolist(), strict=True) if a or p]


def _channels(broadcast: Broadcast) -> set[int]:
    return {ch for ch, key in CONTENT_KEYS.items() if broadcast.content.get(key)}


def _insert_sql() -> str:
    meta = Delivery._meta
    columns = [
        str(meta.get_field(name).column)  # type: ignore[union-attr]
        for name in (
            "broadcast",
            "recipient_kind",
            "recipient_id",
            "channel",
            "status",
            "attempts",
            "provider",
            "provider_message_id",
            "last_error",
        )
    ]
    qn = connection.ops.quote_name
    # Identifiers come from the model and are quoted; values are parameters.
    table = qn(meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608


def _insert(broadcast_id: int, keys: list[tuple[int, int, int]]) -> bool:
    """Insert one chunk unless the broadcast was withdrawn meanwhile (checked under lock).

    SQLite and PostgreSQL take a plain ``executemany`` of ``INSERT … ON CONFLICT DO NOTHING``
    on the unique key: the same effect as ``bulk_create(ignore_conflicts=True)`` at a tenth of
    the cost (Django compiles every value of every row; measured in
    benchmarks/fanout.py). Other databases use ``bulk_create``.
    """
    with transaction.atomic():
        live = (
            Broadcast.objects.select_for_update()
            .filter(pk=broadcast_id, withdrawn_at__isnull=True)
            .exists()
        )
        if not live:
            return False
        if connection.vendor in ("sqlite", "postgresql"):
            queued = Delivery.Status.QUEUED.value
            with connection.cursor() as cursor:
                cursor.executemany(
                    _insert_sql(),
                    [(broadcast_id, k, r, c, queued, 0, "", "", "") for k, r, c in keys],
                )
        else:  # pragma: no cover - not a supported database today
            Delivery.objects.bulk_create(
                [
                    Delivery(broadcast_id=broadcast_id, recipient_kind=k, recipient_id=r, channel=c)
                    for k, r, c in keys
                ],
                ignore_conflicts=True,
                batch_size=2000,
            )
    return True


def subscriber_rows(broadcast: Broadcast, channels: set[int]) -> Any:
    consent_channels = [name for name, ch in CONSENT_CHANNELS.items() if ch in channels]
    if not consent_channels:
        return Consent.objects.none()
    address = Q()
    for name in consent_channels:
        address |= _ADDRESS[name]
    rows = Consent.objects.active().filter(channel__in=consent_channels).filter(address)
    if broadcast.is_drill:
        rows = rows.filter(subscriber__receives_drills=True)
    return rows


def fan_out(broadcast_id: int, *, chunk: int = CHUNK) -> int:
    """Create the deliveries of one broadcast; safe to run twice. Returns deliveries in total."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    if broadcast.fan_out == Broadcast.FanOut.DONE:
        return broadcast.recipients
    channels = _channels(broadcast)
    target = Target.of(broadcast)
    rows = subscriber_rows(broadcast, channels).filter(target.query()).order_by("id")
    last = 0
    withdrawn = False
    # Loudspeakers first: one message to a cluster reaches a whole residential group, and the
    # worker claims in insertion order, so they must not wait behind every individual message.
    if Channel.LOUDSPEAKER in channels:
        keys = [
            (int(Delivery.Kind.LOUDSPEAKER), pk, int(Channel.LOUDSPEAKER))
            for pk in target.clusters(drill=broadcast.is_drill)
        ]
        withdrawn = bool(keys) and not _insert(broadcast_id, keys)
    kind = int(Delivery.Kind.SUBSCRIBER)
    channel_of = {name: int(ch) for name, ch in CONSENT_CHANNELS.items()}
    while not withdrawn:
        page = list(
            rows.filter(id__gt=last).values_list(
                "id",
                "subscriber_id",
                "channel",
                "subscriber__residential_group_id",
                "subscriber__lon",
                "subscriber__lat",
            )[:chunk]
        )
        if not page:
            break
        last = page[-1][0]
        keys = [(kind, r[1], channel_of[r[2]]) for r in target.matches(page)]
        withdrawn = bool(keys) and not _insert(broadcast_id, keys)

    total = Delivery.objects.filter(broadcast_id=broadcast_id).count()
    Broadcast.objects.filter(pk=broadcast_id).update(
        fan_out=Broadcast.FanOut.DONE, recipients=total
    )
    logger.info("broadcast %s: %d deliveries", broadcast_id, total)
    return total
