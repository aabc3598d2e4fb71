from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from pctt.accounts.roles import ROLES, RoleKey, group_for, role_permissions, sync_roles

pytestmark = pytest.mark.django_db


def test_every_role_of_the_design_is_a_group_with_the_permissions_it_names() -> None:
    groups = sync_roles()
    assert set(groups) == set(RoleKey)
    for key in ROLES:
        granted = {
            f"{p.content_type.app_label}.{p.codename}" for p in groups[key].permissions.all()
        }
        assert granted == set(role_permissions(key))


def test_syncing_twice_keeps_one_group_per_role() -> None:
    sync_roles()
    sync_roles()
    names = [role.group_name for role in ROLES.values()]
    assert Group.objects.filter(name__in=names).count() == len(RoleKey)


@pytest.mark.parametrize(
    ("role", "can_view_areas", "can_import_areas"),
    [
        (RoleKey.ADMINISTRATOR, True, True),
        (RoleKey.ALERT_OPERATOR, True, False),
        (RoleKey.ALERT_APPROVER, True, False),
        (RoleKey.VIEWER, True, False),
        (RoleKey.EDITOR, False, False),
        (RoleKey.FOCAL_POINT, False, False),
    ],
)
def test_role_permissions_on_areas(
    django_user_model: type, role: RoleKey, can_view_areas: bool, can_import_areas: bool
) -> None:
    sync_roles()
    user = django_user_model.objects.create_user(role.value, password="x")  # type: ignore[attr-defined]
    user.groups.add(group_for(role))
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("areas.view_adminunit") is can_view_areas
    assert user.has_perm("areas.add_adminunit") is can_import_areas


def test_the_areas_map_data_is_refused_to_roles_without_area_access(
    django_user_model: type, demo_ward: object
) -> None:
    editor = django_user_model.objects.get(username="bientap")  # type: ignore[attr-defined]
    operator = django_user_model.objects.get(username="soancanhbao")  # type: ignore[attr-defined]
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/areas/map.geojson").status_code == 403
    client.force_login(operator)
    response = client.get("/admin/areas/map.geojson")
    assert response.status_code == 200
    kinds = [f["properties"]["kind"] for f in response.json()["features"]]
    assert kinds.count("group") == 10 and kinds.count("zone") == 2


def test_anonymous_visitors_get_no_area_data() -> None:
    response = Client().get("/admin/areas/map.geojson")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
