"""Warnings on the loudspeakers, end to end: the real approval flow, dispatch's MQTT adapter,
the real broker, simulated clusters and the monitor. An emergency interrupts every cluster of
its area at once and is confirmed played; a cancel clears what is queued on every cluster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pctt.alerts import actions as alert_actions
from pctt.dispatch.models import ChannelProvider
from pctt.dispatch.models.outbox import Channel
from pctt.loudspeakers import protocol as p
from pctt.loudspeakers.models import DeviceCommand, PlayLog
from pctt.loudspeakers.simulator import SimulatedCluster
from tests.alerts.factories import issued_flood
from tests.loudspeakers.conftest import TIME_SCALE, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def mqtt_provider(broker: tuple[str, int], db: None) -> ChannelProvider:
    return ChannelProvider.objects.create(
        name="loa-mqtt",
        channel=Channel.LOUDSPEAKER,
        kind=ChannelProvider.Kind.MQTT,
        options={"host": broker[0], "port": broker[1], "timeout": 5},
    )


@pytest.fixture
def three(
    sims: Callable[..., SimulatedCluster],
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    groups: list[Any],
) -> list[SimulatedCluster]:
    """Clusters in groups 1 and 2 (the warning's area) and in group 3 (outside it)."""
    clusters = [make_cluster(cid(f"g{i}"), group=groups[i]) for i in range(3)]
    return [sims(c.controller_id) for c in clusters]


def played(sim: SimulatedCluster) -> list[p.Receipt]:
    return [r for r in sim.played if r.event == "played"]


def test_an_emergency_interrupts_every_cluster_of_its_area_at_once_and_is_confirmed_played(
    three: list[SimulatedCluster],
    mqtt_provider: ChannelProvider,
    monitor: Any,
    users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    programme = p.Item(id="chuong-trinh", title="Bản tin", duration_s=600)  # 3 s here
    for sim in three:
        sim.receive_item(programme)
    wait_for(lambda: all(s.current is not None for s in three))

    with django_capture_on_commit_callbacks(execute=True):
        alert = issued_flood(
            users["soancanhbao"], users["pheduyet"], loudspeaker_priority="emergency"
        )
    reference = alert.dispatch_reference
    inside, outside = three[:2], three[2]
    wait_for(lambda: all(len(played(s)) == 3 for s in inside))
    for sim in inside:
        interrupted, warning, resumed = played(sim)
        assert (interrupted.item_id, interrupted.completed) == ("chuong-trinh", False)
        assert (warning.reference, warning.priority, warning.completed) == (
            reference,
            "emergency",
            True,
        )
        assert (resumed.item_id, resumed.resumed) == ("chuong-trinh", True)
        assert interrupted.duration_s < 600 * 0.9  # cut short, not played to the end first
    starts = [played(s)[1].started_at for s in inside]
    assert max(starts) - min(starts) < 600 * TIME_SCALE  # together, within the programme
    # Outside the area the programme was never interrupted and no warning played.
    assert all(r.completed and not r.reference for r in played(outside))

    # Confirmed played: the receipts reach the play log with the warning's reference.
    wait_for(lambda: PlayLog.objects.filter(reference=reference).count() == 2, tick=monitor.step)
    confirmed = set(
        PlayLog.objects.filter(reference=reference, completed=True).values_list(
            "cluster__controller_id", flat=True
        )
    )
    assert confirmed == {s.controller_id for s in inside}


def test_a_cancel_clears_the_warning_from_every_clusters_queue(
    three: list[SimulatedCluster],
    mqtt_provider: ChannelProvider,
    monitor: Any,
    users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    import time

    # Every cluster has a slot coming: a priority warning waits for it.
    for sim in three:
        sim.receive_schedule(
            p.Schedule(version=1, items=[p.Item(id="sang", duration_s=60, at=time.time() + 120)])
        )
    with django_capture_on_commit_callbacks(execute=True):
        alert = issued_flood(
            users["soancanhbao"], users["pheduyet"], loudspeaker_priority="priority"
        )
    # An older, still-queued copy on the third cluster too (e.g. sent before it was moved).
    three[2].receive_item(
        p.Item(
            id="old-copy", duration_s=30, reference=alert.dispatch_reference, priority="priority"
        )
    )
    prefix = f"{alert.thread_reference_prefix}:"
    wait_for(
        lambda: all(any(i.reference == alert.dispatch_reference for i in s.queued()) for s in three)
    )

    with django_capture_on_commit_callbacks(execute=True):
        cancel = alert_actions.start_cancel(alert, user=users["soancanhbao"])
        alert_actions.submit(cancel, user=users["soancanhbao"])
        alert_actions.approve(cancel, user=users["pheduyet"])
    assert DeviceCommand.objects.filter(payload__cmd="cancel").count() == 3
    wait_for(
        lambda: not DeviceCommand.objects.filter(published_at__isnull=True).exists(),
        tick=monitor.step,
    )
    wait_for(
        lambda: all(
            not any(
                i.reference.startswith(prefix) and i.reference != cancel.dispatch_reference
                for i in s.queued()
            )
            for s in three
        )
    )
    for sim in three[:2]:
        # The cancel notice itself still plays in the targeted area.
        wait_for(
            lambda sim=sim: any(i.reference == cancel.dispatch_reference for i in sim.queued())
        )
    assert [i.id for i in three[2].queued()] == ["sang"]
    assert not any(r.reference == alert.dispatch_reference for s in three for r in played(s))
