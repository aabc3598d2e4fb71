"""Who a warning would reach, per channel, before anyone approves it.

It counts with the same targeting as the fan-out (`pctt.dispatch.fanout.Target`): residential
groups by membership, hazard zones and drawn areas by each subscriber's point.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import shape

from pctt.alerts.actions import target_geometry
from pctt.alerts.models import Alert
from pctt.areas.models import AdminUnit
from pctt.dispatch.fanout import Target
from pctt.dispatch.models import Broadcast, Consent, LoudspeakerCluster

CHANNELS = ("sms", "email", "app")


@dataclass
class Reach:
    subscribers: dict[str, int] = field(default_factory=dict)
    loudspeaker_clusters: int = 0
    groups: list[AdminUnit] = field(default_factory=list)
    households: int = 0
    population: int = 0
    vulnerable: int = 0
    unreached_groups: list[AdminUnit] = field(default_factory=list)

    @property
    def total_subscribers(self) -> int:
        return sum(self.subscribers.values())


def _targeted_groups(alert: Alert, geometry: dict[str, object] | None) -> list[AdminUnit]:
    """Groups chosen by name plus the groups a zone or a drawn area overlaps."""
    chosen = {g.pk: g for g in alert.areas.all()}
    if geometry is not None:
        area = shape(geometry)
        ward_groups = AdminUnit.objects.groups().filter(geometry__isnull=False)
        if chosen:
            ward_groups = ward_groups.filter(parent_id__in={g.parent_id for g in chosen.values()})
        for group in ward_groups:
            group_shape = group.shape()
            if group_shape is not None and group_shape.intersection(area).area > 0:
                chosen.setdefault(group.pk, group)
    return sorted(chosen.values(), key=lambda g: g.code)


def estimate(alert: Alert) -> Reach:
    geometry = target_geometry(alert)
    target = Target.of(
        Broadcast(area_ids=list(alert.areas.values_list("pk", flat=True)), geometry=geometry)
    )
    consents = Consent.objects.active().filter(target.query())
    if alert.is_drill:
        consents = consents.filter(subscriber__receives_drills=True)
    rows = list(
        consents.values_list(
            "pk",
            "subscriber_id",
            "channel",
            "subscriber__residential_group_id",
            "subscriber__lon",
            "subscriber__lat",
        )
    )
    matched = target.matches(rows)
    reach = Reach(subscribers={ch: len({r[1] for r in matched if r[2] == ch}) for ch in CHANNELS})
    reach.groups = _targeted_groups(alert, geometry)
    group_ids = {g.pk for g in reach.groups}
    clusters = LoudspeakerCluster.objects.filter(enabled=True, area_id__in=group_ids)
    # Only clusters that can play now: one its controller reports offline reaches nobody.
    clusters = clusters.exclude(device__online=False)
    if alert.is_drill:
        clusters = clusters.filter(receives_drills=True)
    reach.loudspeaker_clusters = clusters.count()
    reach.households = sum(g.households or 0 for g in reach.groups)
    reach.population = sum(g.population or 0 for g in reach.groups)
    reach.vulnerable = sum(g.vulnerable_people for g in reach.groups)
    covered = {r[3] for r in matched} | set(clusters.values_list("area_id", flat=True))
    reach.unreached_groups = [g for g in reach.groups if g.pk not in covered]
    return reach
