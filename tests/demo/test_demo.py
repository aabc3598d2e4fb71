from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import shape

from pctt.accounts.models import AuditEntry
from pctt.areas.models import AdminUnit, HazardZone
from pctt.demo.load import DEMO_USERS, load_demo
from pctt.dispatch.models import Consent, Subscriber
from pctt.hazards.models import Station
from pctt.plans.models import Organisation

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (AdminUnit, HazardZone, Organisation, Subscriber, Consent, Station, AuditEntry)
    }


def test_the_demo_ward_has_groups_zones_station_organisations_users_and_subscribers(
    demo_ward: AdminUnit, var_dir: Path
) -> None:
    groups = AdminUnit.objects.groups().filter(parent=demo_ward)
    assert 8 <= groups.count() <= 12
    assert all(g.households and g.population and g.geometry for g in groups)
    assert {z.hazard for z in demo_ward.hazard_zones.all()} == {"flood", "landslide"}
    assert Station.objects.get(ward=demo_ward).is_fictional
    kinds = set(Organisation.objects.filter(ward=demo_ward).values_list("kind", flat=True))
    assert {
        "party_building_board",
        "peoples_committee",
        "fatherland_front",
        "youth_union",
        "womens_union",
        "farmers_association",
        "veterans_association",
        "party_cell",
    } <= kinds
    assert 200 <= Subscriber.objects.filter(is_fictional=True).count() <= 500
    assert Consent.objects.filter(method="demo").count() == Subscriber.objects.count()
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    assert set(logins) == {username for username, _org in DEMO_USERS.values()}


def test_the_demo_is_clearly_fictional(demo_ward: AdminUnit) -> None:
    assert "hư cấu" in demo_ward.name
    assert all(s.email.endswith("@example.org") and not s.phone for s in Subscriber.objects.all())


def test_subscribers_live_inside_their_residential_group(demo_ward: AdminUnit) -> None:
    import numpy as np

    from pctt.areas.lookup import locate_groups

    subscribers = list(Subscriber.objects.all())
    found = locate_groups(
        demo_ward, np.array([s.lon for s in subscribers]), np.array([s.lat for s in subscribers])
    )
    assert list(found) == [s.residential_group_id for s in subscribers]


def test_the_demo_ward_lies_inside_its_province(demo_ward: AdminUnit) -> None:
    province = demo_ward.parent
    assert province is not None and province.name == "Tỉnh Lào Cai"
    assert shape(province.geometry).contains(shape(demo_ward.geometry))


def test_loading_the_demo_twice_changes_nothing(demo_ward: AdminUnit) -> None:
    before = _counts()
    load_demo(full_reference=False, app_content=False)
    assert _counts() == before
