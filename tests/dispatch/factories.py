"""Plain keyword-only factories for dispatch tests."""

from __future__ import annotations

import itertools
from typing import Any

from django.db import transaction
from django.utils import timezone

from pctt.areas.models import AdminUnit, WardSetting
from pctt.dispatch.models import ChannelProvider, Consent, LoudspeakerCluster, Subscriber
from pctt.dispatch.models.outbox import Channel

_codes = itertools.count(1)


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def ward() -> tuple[AdminUnit, AdminUnit, AdminUnit]:
    """A commune with two residential groups side by side: G1 at 105.00, G2 at 105.01.

    Created in one transaction with the ward setting first, so that the portal's snapshot
    rebuild (run after commit when areas change) happens once, outside any save.
    """
    with transaction.atomic():
        WardSetting.load()
        return _ward(next(_codes))


def _ward(n: int) -> tuple[AdminUnit, AdminUnit, AdminUnit]:
    province = AdminUnit.objects.create(code=f"P{n}", name="Tỉnh Thử", level="province")
    commune = AdminUnit.objects.create(
        code=f"C{n}", name="Phường Thử", level="commune", parent=province
    )
    g1 = AdminUnit.objects.create(
        code=f"C{n}G1",
        name="Tổ 1",
        level="residential_group",
        parent=commune,
        geometry=square(105.0, 21.0),
    )
    g2 = AdminUnit.objects.create(
        code=f"C{n}G2", name="Tổ 2", level="hamlet", parent=commune, geometry=square(105.01, 21.0)
    )
    return commune, g1, g2


def subscriber(
    *,
    group: AdminUnit | None = None,
    phone: str = "",
    email: str = "",
    lon: float | None = None,
    lat: float | None = None,
    channels: tuple[str, ...] = ("sms",),
    drills: bool = False,
    method: str = Consent.Method.PAPER_FORM,
) -> Subscriber:
    sub = Subscriber.objects.create(
        phone=phone,
        email=email,
        residential_group=group,
        lon=lon,
        lat=lat,
        receives_drills=drills,
    )
    for channel in channels:
        Consent.objects.create(
            subscriber=sub, channel=channel, method=method, given_at=timezone.now()
        )
    return sub


def provider(
    *,
    name: str,
    channel: int = Channel.SMS,
    kind: str = "file",
    priority: int = 10,
    options: dict[str, Any] | None = None,
    rate: float = 0.0,
) -> ChannelProvider:
    return ChannelProvider.objects.create(
        name=name,
        channel=channel,
        kind=kind,
        priority=priority,
        options=options or {},
        rate_per_second=rate,
    )


def cluster(
    *, area: AdminUnit, controller: str = "loa-01", drills: bool = False
) -> LoudspeakerCluster:
    return LoudspeakerCluster.objects.create(
        name="Cụm loa Tổ 1", controller_id=controller, area=area, receives_drills=drills
    )


SMS_CONTENT = {"sms": {"vi": "Lũ lớn: sơ tán ngay.", "vi_ascii": "Lu lon: so tan ngay."}}
EMAIL_CONTENT = {
    "email": {"vi": {"subject": "Cảnh báo lũ", "text": "Sơ tán ngay.", "html": "<p>Sơ tán</p>"}}
}
