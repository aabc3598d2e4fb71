"""The monitor against the real broker and simulated clusters: schedules pushed ahead and
played on time, the play log from receipts feeding the plan, device health alerts."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.loudspeakers import actions, schedule
from pctt.loudspeakers.models import ClusterDevice, HealthAlert, PlayLog, Programme, ProgrammeItem
from pctt.loudspeakers.simulator import SimulatedCluster
from pctt.plans.models import Activity
from tests.loudspeakers.conftest import wait_for

pytestmark = pytest.mark.django_db


def programme_at(
    officer: Any, clusters: list[Any], slot_in_s: float, script: Any, **item: Any
) -> tuple[Programme, float]:
    """A daily programme with one spoken script, its slot *slot_in_s* seconds from now."""
    at = (timezone.localtime() + timedelta(seconds=slot_in_s)).replace(microsecond=0)
    programme = Programme(name="Bản tin sáng")
    programme.clusters.set(clusters)  # a ParentalManyToManyField: stored on save
    programme.save()
    ProgrammeItem.objects.create(
        programme=programme, slot=at.time(), kind="script", script=script, **item
    )
    actions.record_programme_change(programme, user=officer)
    return programme, at.timestamp()


def test_a_schedule_is_pushed_ahead_played_on_time_and_logged_as_a_plan_activity(
    sims: Callable[..., SimulatedCluster],
    monitor: Any,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    script_page: Callable[..., Any],
    users: dict[str, Any],
    groups: list[Any],
) -> None:
    clusters = [make_cluster(cid("a"), group=groups[0]), make_cluster(cid("b"), group=groups[1])]
    devices = [sims(c.controller_id, time_scale=0.1) for c in clusters]
    page = script_page(text="Bà con chuẩn bị đèn pin, áo phao và nước uống trước mùa mưa bão.")
    programme, slot = programme_at(users["truyenthanh"], clusters, 4, page, voice="vi-vn-x-south")
    assert programme.revisions.get().version == 1
    assert AuditEntry.objects.filter(action="pctt.loudspeakers.programme").exists()

    # Pushed and stored by every controller before its slot comes.
    wait_for(
        lambda: all(d.schedule.version >= 1 and d.schedule.items for d in devices),
        tick=monitor.step,
    )
    assert time.time() < slot
    wait_for(
        lambda: set(ClusterDevice.objects.values_list("schedule_version", flat=True)) == {1},
        tick=monitor.step,
    )
    item = devices[0].schedule.items[0]
    assert item.audio_url.endswith(".wav") or item.audio_url.endswith(".mp3")
    assert item.duration_s > 1  # spoken by espeak-ng with the southern voice

    # Played on time by each cluster, for the item's (scaled) duration.
    wait_for(lambda: all(d.played and d.last_played for d in devices), timeout=15)
    receipts = [r for d in devices for r in d.played if r.event == "played"]
    assert len(receipts) == 2
    for receipt in receipts:
        assert slot <= receipt.started_at < slot + 1.5
        assert receipt.completed and receipt.duration_s == pytest.approx(item.duration_s, rel=0.2)

    # The play log is what the devices reported, and it feeds the plan.
    wait_for(lambda: PlayLog.objects.count() == 2, tick=monitor.step)
    logged = sorted(
        (e.cluster.controller_id, e.item_id, round(e.started_at.timestamp(), 3), e.duration_s)
        for e in PlayLog.objects.select_related("cluster")
    )
    reported = sorted(
        (d.controller_id, r.item_id, round(r.started_at, 3), r.duration_s)
        for d in devices
        for r in d.played
        if r.event == "played"
    )
    assert logged == reported
    day = timezone.localdate()
    for group in groups[:2]:
        activity = Activity.objects.get(source_key=f"loudspeaker:{day:%Y%m%d}:{group.pk}")
        assert activity.kind == "loudspeaker" and activity.source == "broadcast"
        assert activity.households == group.households > 0
        assert activity.participants == (group.population or 0)
        assert list(activity.groups.all()) == [group]


def test_a_changed_programme_is_a_new_schedule_version(
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    script_page: Callable[..., Any],
    users: dict[str, Any],
) -> None:
    cluster = make_cluster(cid("v"))
    programme, _slot = programme_at(users["truyenthanh"], [cluster], 3600, script_page())
    first = schedule.refresh(cluster)
    assert schedule.refresh(cluster) == first  # nothing changed, no new version
    assert len(first.items) == schedule.HORIZON_DAYS  # a week ahead, one slot a day
    programme.weekdays = [timezone.localdate().weekday()]
    programme.save()
    actions.record_programme_change(programme, user=users["truyenthanh"])
    second = schedule.refresh(cluster)
    assert second.version == first.version + 1 and len(second.items) <= 2
    assert programme.revisions.count() == 2
    versions = AuditEntry.objects.filter(action="pctt.loudspeakers.schedule_version")
    assert versions.count() == 2


def test_only_a_radio_officer_changes_programmes(
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    script_page: Callable[..., Any],
    users: dict[str, Any],
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        programme_at(users["captren"], [make_cluster(cid("p"))], 60, script_page())


def test_an_offline_cluster_in_a_high_risk_area_raises_an_alert_within_one_heartbeat(
    sims: Callable[..., SimulatedCluster],
    monitor: Any,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = users["truyenthanh"]
    officer.email = "truyen.thanh@example.org"
    officer.save()
    heartbeat = 2.0
    cluster = make_cluster(cid("h"), high_risk=True, heartbeat_s=heartbeat)
    quiet = make_cluster(cid("q"), high_risk=False, heartbeat_s=heartbeat)
    device = sims(cluster.controller_id, heartbeat_s=heartbeat)
    sims(quiet.controller_id, heartbeat_s=heartbeat)
    wait_for(lambda: ClusterDevice.objects.filter(online=True).count() == 2, tick=monitor.step)

    with django_capture_on_commit_callbacks(execute=True):
        device.go_offline()
        lost = time.monotonic()
        wait_for(
            lambda: HealthAlert.objects.filter(cluster=cluster).exists(),
            timeout=heartbeat,
            tick=monitor.step,
        )
        raised = time.monotonic()
    # The behaviour the issue asks for: the alert within one heartbeat interval.
    assert raised - lost <= heartbeat
    alert = HealthAlert.objects.get(cluster=cluster)
    assert alert.kind == HealthAlert.Kind.OFFLINE_HIGH_RISK and alert.resolved_at is None
    assert not HealthAlert.objects.filter(cluster=quiet).exists()
    assert [m.to for m in mail.outbox] == [["truyen.thanh@example.org"]]
    assert cluster.name in mail.outbox[0].subject

    device.come_online()
    wait_for(
        lambda: HealthAlert.objects.get(cluster=cluster).resolved_at is not None,
        tick=monitor.step,
    )
    assert ClusterDevice.objects.get(cluster=cluster).online


def test_a_cluster_silent_during_an_active_warning_raises_an_alert(
    sims: Callable[..., SimulatedCluster],
    monitor: Any,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    users: dict[str, Any],
    groups: list[Any],
) -> None:
    from tests.alerts.factories import issued_flood

    issued_flood(users["soancanhbao"], users["pheduyet"])  # targets the first two groups
    heartbeat = 0.5
    cluster = make_cluster(cid("w"), group=groups[0], heartbeat_s=heartbeat)
    device = sims(cluster.controller_id, heartbeat_s=heartbeat)
    wait_for(lambda: ClusterDevice.objects.get(cluster=cluster).online, tick=monitor.step)
    device.hang()  # connected, but no heartbeat any more: no last will either
    wait_for(
        lambda: HealthAlert.objects.filter(cluster=cluster).exists(),
        timeout=heartbeat * 4,
        tick=monitor.step,
    )
    alert = HealthAlert.objects.get(cluster=cluster)
    assert alert.kind == HealthAlert.Kind.MISSED_DURING_WARNING
    assert "Lũ" in alert.detail or alert.detail


def test_reach_counts_only_clusters_that_are_online(
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    users: dict[str, Any],
    groups: list[Any],
) -> None:
    from pctt.alerts import reach
    from tests.alerts.factories import flood_draft

    draft = flood_draft(users["soancanhbao"])  # the first two groups
    make_cluster(cid("on"), group=groups[0], online=True, last_seen_at=timezone.now())
    make_cluster(cid("off"), group=groups[1], online=False, last_seen_at=timezone.now())
    estimate = reach.estimate(draft)
    assert estimate.loudspeaker_clusters == 1


def test_bad_messages_from_devices_are_dropped_and_the_monitor_goes_on(
    monitor: Any, make_cluster: Callable[..., Any], cid: Callable[[str], str]
) -> None:
    cluster = make_cluster(cid("g"))
    for topic, payload in [
        (f"pctt/loa/{cluster.controller_id}/trangthai", b"\xff"),
        (f"pctt/loa/{cluster.controller_id}/bienlai", b'{"event": "played"}'),
        ("pctt/loa/unknown-device/trangthai", b'{"online": true}'),
        ("pctt/loa/x/y/z", b"{}"),
        (f"pctt/loa/{cluster.controller_id}/trangthai", b'{"online": true, "volume": 55}'),
    ]:
        monitor.handle(topic, payload)
    assert ClusterDevice.objects.get(cluster=cluster).volume == 55
