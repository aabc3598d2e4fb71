"""The portal rebuilds its snapshots when a warning is issued, updated or cancelled."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from pctt.alerts.signals import warning_issued
from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.community.models import Claim
from pctt.portal import snapshots


@receiver(warning_issued)
def rebuild_snapshots(sender: Any, **kwargs: Any) -> None:
    snapshots.rebuild()


def _rebuild() -> None:
    snapshots.rebuild()


def _rebuild_after_commit(sender: Any, **kwargs: Any) -> None:
    """The home page shows the ward's name and map: keep its snapshot true when they change.

    An import saves many areas in one transaction: schedule one rebuild, not one per row.
    """
    connection = transaction.get_connection()
    if snapshots.rebuilding() or any(entry[1] is _rebuild for entry in connection.run_on_commit):
        return
    transaction.on_commit(_rebuild)


for model in (WardSetting, AdminUnit, HazardZone, Claim):
    post_save.connect(_rebuild_after_commit, sender=model, dispatch_uid=f"portal-{model.__name__}")


def _rebuild_after_publication(sender: Any, **kwargs: Any) -> None:
    # While a warning is in force the home page lists the guidance for its hazard.
    _rebuild_after_commit(sender)


page_published.connect(_rebuild_after_publication, dispatch_uid="portal-page-published")
page_unpublished.connect(_rebuild_after_publication, dispatch_uid="portal-page-unpublished")
