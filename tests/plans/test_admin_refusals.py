"""Screens that only show: the back office's generic lists must not add, change or delete what
is changed elsewhere (activities through actions.py with organisation scope; clauses with their
plan; broadcasts by the warning workflow; hazard-zone outlines by the validated import)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pctt.accounts.roles import RoleKey, group_for
from pctt.areas.models import HazardZone
from pctt.dispatch.models import Broadcast
from pctt.plans.models import Activity, Clause, Organisation
from tests.plans.test_activity_editing_and_evidence import _recorded

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin() -> Any:
    return get_user_model().objects.create_superuser("root-refusals", password="x" * 20)


def test_a_focal_point_cannot_change_or_delete_another_organisations_activity_in_the_list(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity = _recorded(users, orgs)  # the Women's Union's
    # A focal point of no organisation at all: the model permission alone, no membership.
    other = get_user_model().objects.create_user("daumoi.khac", password="x" * 20)
    other.groups.add(group_for(RoleKey.FOCAL_POINT))
    assert other.has_perm("plans.change_activity")
    client = _client(other)
    for name in ("activity:edit", "activity:delete"):
        url = reverse(name, args=[activity.pk])
        assert client.get(url).status_code in (302, 403), url
        client.post(url, {"description": "sửa trộm"})
    activity.refresh_from_db()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert activity.description != "sửa trộm"


@pytest.mark.parametrize(
    ("model", "actions"),
    [
        (Activity, ("add", "change", "delete")),
        (Clause, ("add",)),
        (Broadcast, ("add", "change", "delete")),
        (HazardZone, ("add",)),
    ],
)
def test_even_an_administrator_is_refused_what_a_screen_must_not_do(
    ward: Any, model: Any, actions: tuple[str, ...]
) -> None:
    from wagtail.permissions import policy_registry

    admin = _admin()
    policy = policy_registry.get_by_type(model)
    for action in actions:
        assert not policy.user_has_permission(admin, action), action
    assert policy.user_has_permission(admin, "view")
    client = _client(admin)
    name = model._meta.model_name
    listing = client.get(reverse(f"{name}:index"))
    assert listing.status_code == 200
    if "add" in actions:
        add = reverse(f"{name}:add")
        assert add not in listing.content.decode()  # no "Add" button
        assert client.get(add).status_code in (302, 403)
