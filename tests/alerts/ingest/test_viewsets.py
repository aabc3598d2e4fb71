"""The admin pieces: read-only upstream listing, local times, the relay button's guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from pctt.alerts.ingest.viewsets import (
    UpstreamAlertViewSet,
    UpstreamGroup,
    is_relayable,
    local_time,
    relay_url,
)
from pctt.alerts.models import CapFeed, UpstreamAlert

pytestmark = pytest.mark.django_db


def upstream(**changes: object) -> UpstreamAlert:
    values: dict[str, object] = {
        "feed": CapFeed.objects.get_or_create(url="http://feeds.example/feed")[0],
        "sender": "nchmf@kttv.gov.vn",
        "identifier": "A",
        "sent": timezone.now(),
        "msg_type": "Alert",
        "status": "Actual",
        "intersects_ward": True,
        "expires": timezone.now() + timedelta(hours=3),
        "xml": "<alert/>",
        **changes,
    }
    return UpstreamAlert.objects.create(**values)


def test_only_active_actual_warnings_for_our_ward_are_relayable() -> None:
    assert is_relayable(upstream())
    UpstreamAlert.objects.all().delete()
    for changes in (
        {"intersects_ward": False},
        {"state": UpstreamAlert.State.CANCELLED},
        {"state": UpstreamAlert.State.UPDATED},
        {"status": "Exercise"},
        {"msg_type": "Cancel"},
        {"expires": timezone.now() - timedelta(minutes=1)},
    ):
        alert = upstream(**changes)
        assert not is_relayable(alert), changes
        alert.delete()


def test_a_relayable_warning_gets_the_relay_button() -> None:
    alert = upstream()

    assert relay_url(alert) == f"/admin/warnings/relay/{alert.pk}/"
    assert relay_url(upstream(identifier="B", intersects_ward=False)) is None


def test_times_are_shown_in_vietnam_time() -> None:
    assert local_time(datetime(2025, 9, 7, 17, 30, tzinfo=UTC)) == "08/09/2025 00:30"


def test_upstream_warnings_cannot_be_added_edited_or_deleted() -> None:
    names = {pattern.name for pattern in UpstreamAlertViewSet("x").get_urlpatterns()}

    assert {"index", "inspect"} <= names
    assert not names & {"add", "edit", "delete", "copy"}


def test_the_group_holds_feeds_and_upstream_warnings() -> None:
    models = [item.model for item in UpstreamGroup().registerables]
    assert models[1] is UpstreamAlert
