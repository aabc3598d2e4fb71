"""The demo ward's gauge: fictional thresholds, a few days of readings, a rising river."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from pctt.areas.models import AdminUnit
from pctt.hazards import actions, demo
from pctt.hazards.models import Proposal, Station

pytestmark = pytest.mark.django_db


def test_a_rising_river_in_the_demo_ward_makes_a_proposal(demo_ward: AdminUnit) -> None:
    demo.load(demo_ward)  # a second run changes nothing
    station = Station.objects.get(code="DEMO-TV-01")
    threshold_set = station.threshold_set()
    assert threshold_set is not None and threshold_set.is_fictional
    assert threshold_set.source_document == "dữ liệu minh hoạ hư cấu"
    assert station.observations.count() == demo.DAYS * 24
    hanoi = Station.objects.get(code="QD05-HN").threshold_set()
    assert hanoi is not None and (hanoi.bd1, hanoi.bd2, hanoi.bd3) == (9.5, 10.5, 11.5)
    assert hanoi.citation.startswith("Quyết định 05/2020/QĐ-TTg")
    token = actions.issue_token(station, user=get_user_model().objects.get(username="quantri"))
    now = timezone.now()
    rising = [
        {"time": (now - timedelta(minutes=10 * (5 - i))).isoformat(), "value": v}
        for i, v in enumerate([1.9, 2.2, 2.5, 2.8, 3.05, 3.2])
    ]
    response = Client().post(
        "/quan-trac/api/observations",
        {"readings": rising},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.json()["accepted"] == 6, response.json()
    (proposal,) = Proposal.objects.filter(station=station)
    assert proposal.level == 1 and proposal.alert is not None
    assert proposal.alert.areas.count() == station.influence_areas.count() > 0
