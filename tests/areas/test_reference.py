from __future__ import annotations

import json
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pctt.areas.actions import import_areas, load_reference
from pctt.areas.models import AdminUnit
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def test_load_reference_gives_34_provinces_with_outlines_and_3321_communes() -> None:
    outcome = load_reference()

    assert (outcome.provinces, outcome.communes) == (34, 3321)
    assert outcome.provinces_without_geometry == []
    assert AdminUnit.objects.filter(level="province", geometry__isnull=False).count() == 34
    assert AdminUnit.objects.filter(level="commune").count() == 3321
    hanoi = AdminUnit.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    assert AdminUnit.objects.get(code="00004").parent == hanoi


def test_load_reference_twice_writes_nothing_the_second_time() -> None:
    load_reference()
    with CaptureQueriesContext(connection) as queries:
        load_reference()
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    assert [w for w in writes if "areas_adminunit" in w] == []
    assert AdminUnit.objects.count() == 34 + 3321


def test_reference_matches_the_shared_data_files() -> None:
    merges = json.loads(shared_data("geo", "dvhcvn_20250701_merges_new_to_old.json").read_bytes())
    load_reference()
    for province in merges["data"]:
        assert AdminUnit.objects.get(code=province["level1_id"]).name == unicodedata.normalize(
            "NFC", province["name"]
        )


@pytest.mark.parametrize(
    "spelling",
    [
        "Khánh Hoà",
        "Khánh Hòa",
        "tỉnh khánh hòa",
        "TỈNH KHÁNH HOÀ",
        unicodedata.normalize("NFD", "Khánh Hoà"),
    ],
)
def test_province_names_match_any_unicode_form_and_tone_placement(spelling: str) -> None:
    load_reference()
    assert AdminUnit.objects.by_name(spelling).get(level="province").code == "56"


def test_a_ward_imports_its_groups_under_a_reference_commune() -> None:
    load_reference()
    groups = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "code": "00004-TDP01",
                    "name": "Tổ dân phố 1",
                    "level": "residential_group",
                    "parent_code": "00004",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[105.83, 21.03], [105.84, 21.03], [105.84, 21.04], [105.83, 21.03]]
                    ],
                },
            }
        ],
    }
    import_areas(json.dumps(groups).encode())
    assert AdminUnit.objects.get(code="00004-TDP01").parent.name == "Phường Ba Đình"  # type: ignore[union-attr]
