"""An install in use: warnings, deliveries, audit entries, subscribers with consent, library
pages and media, and the row counts that a restore must find again."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pctt.accounts.roles import RoleKey
from tests.alerts.factories import issued_flood, user_with

PHOTO = b"\xff\xd8\xff\xe0 a resident's photo of the flooded road"
PHOTO_NAME = "community/2026/09/duong-ngap.jpg"

#: table -> SQL condition counted (rows that prove the data came back).
CHECKS = {
    "alerts_alert": "1=1",
    "dispatch_broadcast": "1=1",
    "dispatch_delivery": "1=1",
    "accounts_auditentry": "1=1",
    "dispatch_subscriber": "phone <> ''",
    "dispatch_consent": "withdrawn_at IS NULL",
    "wagtailcore_page": "depth > 2",  # library pages under the site root
    "library_articlepage": "1=1",
    "auth_user": "1=1",
}


def populate(ward: Any) -> str:
    from pctt.library import demo as library_demo

    library_demo.load(ward)
    author = user_with(RoleKey.ALERT_OPERATOR, "ops-author")
    approver = user_with(RoleKey.ALERT_APPROVER, "ops-approver")
    issued_flood(author, approver)
    from pctt.areas.models import AdminUnit
    from pctt.dispatch.fanout import fan_out
    from pctt.dispatch.models import Broadcast
    from tests.dispatch import factories as f

    group = AdminUnit.objects.groups().order_by("code").first()
    for i in range(3):
        f.subscriber(group=group, phone=f"+8491555000{i}", channels=("sms",))
    broadcast = Broadcast.objects.create(
        reference="backup-test",
        status="actual",
        priority="normal",
        area_ids=[group.pk],
        content=f.SMS_CONTENT,
    )
    fan_out(broadcast.pk)
    return default_storage.save(PHOTO_NAME, ContentFile(PHOTO))


def counts(cursor: Any) -> dict[str, int]:
    found = {}
    for table, condition in CHECKS.items():
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {condition}")
        found[table] = int(cursor.fetchone()[0])
    return found
