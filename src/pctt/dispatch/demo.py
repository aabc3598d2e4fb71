"""Demo channels: stub providers (nothing leaves the machine) and two loudspeaker clusters."""

from __future__ import annotations

from pctt.areas.models import AdminUnit
from pctt.dispatch.models import ChannelProvider, LoudspeakerCluster
from pctt.dispatch.models.outbox import Channel

#: The demo sends nowhere: every channel goes to the console stub (visible in `pctt run`'s log).
STUB_PROVIDERS = [
    ("demo-sms-console", Channel.SMS),
    ("demo-email-console", Channel.EMAIL),
    ("demo-app-console", Channel.APP),
    ("demo-loudspeaker-console", Channel.LOUDSPEAKER),
]


def load(ward: AdminUnit) -> None:
    for name, channel in STUB_PROVIDERS:
        ChannelProvider.objects.get_or_create(
            name=name, defaults={"channel": channel, "kind": ChannelProvider.Kind.CONSOLE}
        )
    groups = list(AdminUnit.objects.groups().filter(parent=ward).order_by("code")[:2])
    for index, group in enumerate(groups, start=1):
        LoudspeakerCluster.objects.get_or_create(
            controller_id=f"DEMO-LOA-{index:02d}",
            defaults={"name": f"Cụm loa {group.name} (hư cấu)", "area": group},
        )
