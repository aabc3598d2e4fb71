"""Warnings made through the actions layer, as the back office makes them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from pctt.accounts.roles import RoleKey, group_for, sync_roles
from pctt.alerts import actions
from pctt.alerts.defaults import install_default_templates
from pctt.alerts.models import Alert, WarningTemplate
from pctt.areas.models import AdminUnit

FLOOD_VALUES = {
    "station": "Bến Sông",
    "water_level": "12,4",
    "time": "7h ngày 15/9",
    "areas": "tổ dân phố 1, 2",
    "shelter": "Trường Tiểu học Bến Sông",
}


def user_with(role: RoleKey, username: str) -> AbstractBaseUser:
    sync_roles()
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(group_for(role))
    return user


def flood_draft(author: AbstractBaseUser, *, status: str = "Actual", **fields: Any) -> Alert:
    install_default_templates()
    template = WarningTemplate.objects.get(key="lu-bao-dong-2")
    groups = list(AdminUnit.objects.groups().order_by("code").values_list("pk", flat=True)[:2])
    return actions.create_draft(
        user=author,
        template=template,
        values=FLOOD_VALUES,
        area_ids=groups,
        status=status,
        **fields,
    )


def issued_flood(author: AbstractBaseUser, approver: AbstractBaseUser, **fields: Any) -> Alert:
    draft = flood_draft(author, **fields)
    actions.submit(draft, user=author)
    return actions.approve(draft, user=approver)
