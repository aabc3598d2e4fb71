"""Demo loudspeakers: a cluster per residential group (fictional controllers), placed at the
group's centre, those over the flood or landslide zone marked high-risk, and a week's programme
from the library's loudspeaker scripts (05:30 and 17:00 every day, a relay on Saturdays)."""

from __future__ import annotations

from datetime import time

from pctt.accounts.audit import log_action
from pctt.areas.models import AdminUnit
from pctt.dispatch.models import ChannelProvider, LoudspeakerCluster
from pctt.dispatch.models.outbox import Channel
from pctt.library.models import LoudspeakerScriptPage
from pctt.loudspeakers.actions import programme_snapshot
from pctt.loudspeakers.models import (
    ClusterDevice,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Voice,
)

DAILY = "Chương trình truyền thanh hằng ngày (hư cấu)"
SATURDAY = "Tiếp sóng chương trình tỉnh sáng thứ Bảy (hư cấu)"
#: A reserved name (RFC 2606): the demo relay points nowhere real.
DEMO_STREAM = "https://radio.example.org/tinh/truc-tiep.mp3"
RADIUS_M = 350
HIGH_RISK_SHARE = 0.2


def _clusters(ward: AdminUnit) -> list[LoudspeakerCluster]:
    zones = [(z, s) for z in ward.hazard_zones.all() if (s := z.shape()) is not None]
    clusters = []
    groups = AdminUnit.objects.groups().filter(parent=ward).order_by("code")
    for index, group in enumerate(groups, start=1):
        cluster = LoudspeakerCluster.objects.filter(area=group).order_by("pk").first()
        if cluster is None:
            cluster, _created = LoudspeakerCluster.objects.get_or_create(
                controller_id=f"DEMO-LOA-{index:02d}",
                defaults={"name": f"Cụm loa {group.name} (hư cấu)", "area": group},
            )
        clusters.append(cluster)
        shape = group.shape()
        if ClusterDevice.objects.filter(cluster=cluster).exists() or shape is None:
            continue
        point = shape.representative_point()
        # Demo choice (not an official rule): a fifth of the group inside a hazard zone.
        zone = next(
            (z for z, s in zones if s.intersection(shape).area >= HIGH_RISK_SHARE * shape.area),
            None,
        )
        ClusterDevice.objects.create(
            cluster=cluster,
            lon=round(point.x, 6),
            lat=round(point.y, 6),
            coverage_radius_m=RADIUS_M,
            hazard_zone=zone,
            high_risk=zone is not None,
            heartbeat_s=10,
        )
    return clusters


def _programme(name: str, clusters: list[LoudspeakerCluster], weekdays: list[int]) -> Programme:
    programme = Programme(name=name, weekdays=weekdays, version=1)
    programme.clusters.set(clusters)  # a ParentalManyToManyField: stored on save
    programme.save()
    return programme


def _record(programme: Programme) -> None:
    snapshot = programme_snapshot(programme)
    ProgrammeRevision.objects.create(programme=programme, version=1, snapshot=snapshot)
    log_action("pctt.loudspeakers.programme", user=None, instance=programme, data=snapshot)


def load(ward: AdminUnit) -> None:
    clusters = _clusters(ward)
    # Warnings reach the clusters over MQTT when a broker runs; if not, dispatch falls back to
    # the console stub.
    ChannelProvider.objects.get_or_create(
        name="demo-loudspeaker-mqtt",
        defaults={
            "channel": Channel.LOUDSPEAKER,
            "kind": ChannelProvider.Kind.MQTT,
            "priority": 5,
            "options": {"host": "127.0.0.1", "port": 1883, "timeout": 5},
        },
    )
    if Programme.objects.filter(name=DAILY).exists() or not clusters:
        return
    scripts = list(LoudspeakerScriptPage.objects.live().order_by("path"))
    if scripts:
        daily = _programme(DAILY, clusters, [])
        voices = [Voice.NORTH, Voice.CENTRAL, Voice.SOUTH]
        for position, script in enumerate(scripts, start=1):
            for slot in (time(5, 30), time(17, 0)):
                ProgrammeItem.objects.create(
                    programme=daily,
                    slot=slot,
                    position=position,
                    kind=ProgrammeItem.Kind.SCRIPT,
                    script=script,
                    voice=voices[(position - 1) % len(voices)],
                    speed_wpm=140,
                )
        _record(daily)
    saturday = _programme(SATURDAY, clusters, [5])
    ProgrammeItem.objects.create(
        programme=saturday,
        slot=time(6, 0),
        kind=ProgrammeItem.Kind.RELAY,
        stream_url=DEMO_STREAM,
        relay_minutes=15,
    )
    _record(saturday)
