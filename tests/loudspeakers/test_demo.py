"""The demo ward's loudspeakers: a cluster per group on the map, high-risk ones over the hazard
zones, and a week's programme built from the library's loudspeaker scripts."""

from __future__ import annotations

from typing import Any

import pytest

from pctt.dispatch.models import LoudspeakerCluster
from pctt.library.models import LoudspeakerScriptPage
from pctt.loudspeakers import demo, schedule
from pctt.loudspeakers.models import ClusterDevice, Programme, ProgrammeRevision

pytestmark = pytest.mark.django_db


def test_the_demo_ward_gets_clusters_and_a_weeks_programme_from_library_scripts(
    ward: Any, groups: list[Any], settings: Any, tmp_path: Any
) -> None:
    from pctt.library import demo as library_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    library_demo.load(ward)
    demo.load(ward)
    demo.load(ward)  # idempotent
    clusters = list(LoudspeakerCluster.objects.filter(area__parent=ward))
    assert {c.area_id for c in clusters} == {g.pk for g in groups}
    devices = ClusterDevice.objects.filter(cluster__in=clusters)
    assert devices.count() == len(groups)
    assert all(d.lon is not None and d.coverage_radius_m > 0 for d in devices)
    assert 0 < devices.filter(high_risk=True).count() < len(groups)
    assert all(d.hazard_zone is not None for d in devices.filter(high_risk=True))

    daily = Programme.objects.get(name=demo.DAILY)
    scripts = LoudspeakerScriptPage.objects.live().count()
    assert scripts >= 3 and daily.items.count() == 2 * scripts
    assert {i.voice for i in daily.items.all()} == {"vi", "vi-vn-x-central", "vi-vn-x-south"}
    assert ProgrammeRevision.objects.count() == 2

    week = schedule.refresh(clusters[0])
    days = {e["slot"][:10] for e in week.items}
    assert len(days) == schedule.HORIZON_DAYS
    relays = [e for e in week.items if e["kind"] == "relay"]
    assert len(relays) == 1 and relays[0]["stream_url"] == demo.DEMO_STREAM
    spoken = [e for e in week.items if e["kind"] == "speech"]
    assert len(spoken) == 7 * 2 * scripts and all(e["duration_s"] > 0 for e in spoken)
