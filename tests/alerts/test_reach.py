"""The reach estimate agrees with a direct geometric count on the demo ward."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from pctt.accounts.roles import RoleKey
from pctt.alerts import actions, reach
from pctt.areas.models import AdminUnit, HazardZone
from pctt.dispatch.models import Consent, LoudspeakerCluster, Subscriber
from tests.alerts.factories import flood_draft, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(demo_ward: object) -> object:
    return user_with(RoleKey.ALERT_OPERATOR, "op")


def _direct_count(groups: list[AdminUnit], zone: HazardZone | None) -> set[int]:
    """Subscribers with an active e-mail consent, in a chosen group or inside the zone."""
    area = shape(zone.geometry) if zone is not None else None
    found = set()
    for consent in Consent.objects.active().filter(channel="email").select_related("subscriber"):
        subscriber = consent.subscriber
        in_group = subscriber.residential_group_id in {g.pk for g in groups}
        in_zone = area is not None and area.covers(Point(subscriber.lon, subscriber.lat))
        if in_group or in_zone:
            found.add(subscriber.pk)
    return found


def test_groups_only_counts_their_subscribers_and_households(operator: object) -> None:
    draft = flood_draft(operator)
    groups = list(draft.areas.all())
    estimate = reach.estimate(draft)

    assert estimate.subscribers["email"] == len(_direct_count(groups, None))
    assert estimate.subscribers["sms"] == 0  # the demo's fictional residents have no phones
    assert estimate.households == sum(g.households or 0 for g in groups)
    assert estimate.vulnerable == sum(g.vulnerable_people for g in groups)
    assert estimate.unreached_groups == []


def test_a_hazard_zone_adds_the_subscribers_inside_it(operator: object) -> None:
    zone = HazardZone.objects.get(hazard="flood")
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    draft = actions.create_draft(
        user=operator,
        template=None,
        hazard="flood",
        urgency="Expected",
        severity="Moderate",
        certainty="Likely",
        event_vi="Lũ",
        headline_vi="Lũ",
        description_vi="Lũ",
        instruction_vi="Di dời",
        expires=flood_draft(operator).expires,
        area_ids=[group.pk],
        zone_ids=[zone.pk],
    )
    estimate = reach.estimate(draft)
    direct = _direct_count([group], zone)
    assert estimate.subscribers["email"] == len(direct)
    zone_shape = shape(zone.geometry)
    overlapping = {
        g.pk
        for g in AdminUnit.objects.groups()
        if shape(g.geometry).intersection(zone_shape).area > 0
    }
    assert {g.pk for g in estimate.groups} == overlapping | {group.pk}


def test_groups_nobody_subscribed_in_are_named_and_clusters_count(operator: object) -> None:
    draft = flood_draft(operator)
    _first, second = draft.areas.order_by("code")
    Subscriber.objects.filter(residential_group=second).delete()
    assert reach.estimate(draft).unreached_groups == [second]

    LoudspeakerCluster.objects.create(name="Loa", controller_id="L1", area=second)
    estimate = reach.estimate(draft)
    assert estimate.loudspeaker_clusters == 1 and estimate.unreached_groups == []


def test_a_drill_reaches_only_drill_participants(operator: object) -> None:
    draft = flood_draft(operator, status="Exercise")
    assert reach.estimate(draft).total_subscribers == 0
    group = draft.areas.order_by("code").first()
    Subscriber.objects.filter(residential_group=group).update(receives_drills=True)
    expected = Consent.objects.active().filter(subscriber__residential_group=group).count()
    assert reach.estimate(draft).subscribers["email"] == expected
