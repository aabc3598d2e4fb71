"""Fan-out: one delivery per (recipient, channel), targeted, streaming, safe to run twice."""

from __future__ import annotations

import pytest

from pctt.dispatch.actions import create_broadcast
from pctt.dispatch.fanout import fan_out
from pctt.dispatch.models import Broadcast, Delivery
from pctt.dispatch.models.outbox import Channel
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db


def _broadcast(**kwargs: object) -> Broadcast:
    defaults: dict[str, object] = {
        "reference": "alert:1:v1",
        "status": "actual",
        "priority": "normal",
        "area_ids": [],
        "content": {**f.SMS_CONTENT, **f.EMAIL_CONTENT},
    }
    defaults.update(kwargs)
    return create_broadcast(**defaults)  # type: ignore[arg-type]


def test_members_of_targeted_groups_get_one_delivery_per_consented_channel() -> None:
    _commune, g1, g2 = f.ward()
    both = f.subscriber(
        group=g1, phone="+84912345678", email="a@example.org", channels=("sms", "email")
    )
    sms_only = f.subscriber(group=g1, phone="+84912345679", channels=("sms",))
    f.subscriber(group=g2, phone="+84912345670", channels=("sms",))  # other group
    b = _broadcast(area_ids=[g1.pk])
    assert fan_out(b.pk) == 3
    keys = set(Delivery.objects.values_list("recipient_id", "channel"))
    assert keys == {(both.pk, Channel.SMS), (both.pk, Channel.EMAIL), (sms_only.pk, Channel.SMS)}


def test_point_inside_geometry_matches_without_group_membership() -> None:
    _commune, _g1, _g2 = f.ward()
    inside = f.subscriber(phone="+84912345601", lon=105.505, lat=21.505)
    f.subscriber(phone="+84912345602", lon=105.6, lat=21.6)  # outside
    f.subscriber(phone="+84912345603")  # no point, no group
    b = _broadcast(geometry=f.square(105.5, 21.5))
    assert fan_out(b.pk) == 1
    assert Delivery.objects.get().recipient_id == inside.pk


def test_fan_out_twice_creates_no_duplicates() -> None:
    _commune, g1, _g2 = f.ward()
    for i in range(7):
        f.subscriber(group=g1, phone=f"+8491234560{i}")
    b = _broadcast(area_ids=[g1.pk])
    assert fan_out(b.pk, chunk=3) == 7
    Broadcast.objects.filter(pk=b.pk).update(fan_out=Broadcast.FanOut.PENDING)
    assert fan_out(b.pk, chunk=2) == 7
    assert Delivery.objects.count() == 7


def test_withdrawn_or_unconfirmed_consent_and_missing_address_get_nothing() -> None:
    _commune, g1, _g2 = f.ward()
    withdrawn = f.subscriber(group=g1, phone="+84912345611")
    withdrawn.consents.update(withdrawn_at="2026-01-01T00:00:00Z")
    f.subscriber(group=g1, phone="+84912345612", method="web_form")  # code never confirmed
    f.subscriber(group=g1, phone="", channels=("sms",))  # consent but no number
    b = _broadcast(area_ids=[g1.pk])
    assert fan_out(b.pk) == 0


def test_loudspeaker_clusters_of_targeted_areas_are_recipients() -> None:
    _commune, g1, g2 = f.ward()
    c1 = f.cluster(area=g1, controller="loa-1")
    f.cluster(area=g2, controller="loa-2")
    b = _broadcast(area_ids=[g1.pk], content={"mqtt": {"vi": {"text": "Lũ"}}})
    assert fan_out(b.pk) == 1
    d = Delivery.objects.get()
    assert (d.recipient_kind, d.recipient_id, d.channel) == (
        Delivery.Kind.LOUDSPEAKER,
        c1.pk,
        Channel.LOUDSPEAKER,
    )


def test_loudspeakers_are_queued_before_the_individual_messages() -> None:
    _commune, g1, _g2 = f.ward()
    for i in range(3):
        f.subscriber(group=g1, phone=f"+8491234570{i}")
    f.cluster(area=g1, controller="loa-1")
    b = _broadcast(
        area_ids=[g1.pk],
        content={**f.SMS_CONTENT, **f.EMAIL_CONTENT, "mqtt": {"vi": {"text": "Lũ"}}},
    )
    assert fan_out(b.pk) > 1
    first = Delivery.objects.order_by("id").first()
    assert first is not None and first.channel == Channel.LOUDSPEAKER


def test_create_broadcast_queues_fan_out_after_commit(django_capture_on_commit_callbacks) -> None:
    _commune, g1, _g2 = f.ward()
    f.subscriber(group=g1, phone="+84912345621")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        b = _broadcast(area_ids=[g1.pk])
        assert Delivery.objects.count() == 0  # nothing before commit
    assert callbacks
    b.refresh_from_db()
    assert b.fan_out == Broadcast.FanOut.DONE and b.recipients == 1


def test_same_reference_twice_returns_the_first_broadcast() -> None:
    first = _broadcast()
    assert _broadcast().pk == first.pk
    assert Broadcast.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "actualx"),
        ("priority", "urgent"),
        ("content", {}),
        ("geometry", {"type": "Nope"}),
    ],
)
def test_invalid_arguments_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        _broadcast(**{field: value})


def test_loudspeakers_whose_area_overlaps_the_geometry_are_recipients() -> None:
    _commune, g1, g2 = f.ward()
    f.cluster(area=g1, controller="loa-1")
    c2 = f.cluster(area=g2, controller="loa-2")
    b = _broadcast(
        geometry=f.square(105.015, 21.0, 0.002), content={"mqtt": {"vi": {"text": "Lũ"}}}
    )
    assert fan_out(b.pk) == 1
    assert Delivery.objects.get().recipient_id == c2.pk


def test_drill_reaches_only_loudspeakers_that_play_drills() -> None:
    _commune, g1, _g2 = f.ward()
    f.cluster(area=g1, controller="loa-1", drills=False)
    b = _broadcast(status="exercise", area_ids=[g1.pk], content={"mqtt": {"vi": {"text": "Lũ"}}})
    assert fan_out(b.pk) == 0
