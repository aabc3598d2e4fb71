from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from pctt.accounts.models import AuditEntry
from pctt.areas.actions import AreaImportError, import_areas
from pctt.areas.models import AdminUnit, HazardZone
from tests.areas.factories import collection, feature, small_ward, square

pytestmark = pytest.mark.django_db


def test_a_good_file_imports_units_zones_counts_and_geometry() -> None:
    outcome = import_areas(collection(*small_ward()), source="test.geojson")

    assert outcome.created == 5
    group = AdminUnit.objects.get(code="G01")
    assert group.parent is not None and group.parent.code == "W01"
    assert (group.households, group.population, group.vulnerable_people) == (120, 450, 36)
    assert group.min_lon == pytest.approx(105.0) and group.max_lat == pytest.approx(21.01)
    assert AdminUnit.objects.get(code="G02").level == "hamlet"
    zone = HazardZone.objects.get(code="Z01")
    assert (zone.hazard, zone.commune.code) == ("flood", "W01")
    assert AuditEntry.objects.filter(action="pctt.areas.import").count() == 1


def test_one_bad_feature_means_nothing_is_imported_and_each_bad_feature_is_named() -> None:
    features = small_ward()
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[105, 21], [105.01, 21.01], [105.01, 21], [105, 21.01], [105, 21]]],
    }
    features.append(
        feature(bow_tie, code="G03", name="Tổ 3", level="residential_group", parent_code="W01")
    )
    features.append(
        feature(
            square(200.0, 21.0),
            code="G04",
            name="Tổ 4",
            level="residential_group",
            parent_code="W01",
        )
    )
    features.append(feature(code="G05", name="", level="residential_group", parent_code="W01"))
    features.append(feature(code="G06", name="Tổ 6", level="residential_group", parent_code="NOPE"))

    with pytest.raises(AreaImportError) as caught:
        import_areas(collection(*features))

    lines = caught.value.lines(vietnamese=False)
    assert len(lines) == 4
    assert "G03" in lines[0] and "self-intersect" in lines[0]
    assert "G04" in lines[1] and "longitude" in lines[1].lower()
    assert "G05" in lines[2] and "name" in lines[2]
    assert "G06" in lines[3] and "NOPE" in lines[3]
    assert AdminUnit.objects.count() == 0
    assert HazardZone.objects.count() == 0


def test_reimport_updates_in_place_and_keeps_counts_the_file_does_not_give() -> None:
    import_areas(collection(*small_ward()))
    renamed = small_ward()
    renamed[2]["properties"].update(name="Tổ dân phố Một")
    del renamed[2]["properties"]["households"]

    outcome = import_areas(collection(*renamed))

    assert (outcome.created, outcome.updated) == (0, 5)
    group = AdminUnit.objects.get(code="G01")
    assert (group.name, group.households) == ("Tổ dân phố Một", 120)


def test_children_may_come_before_parents_in_the_file() -> None:
    import_areas(collection(*reversed(small_ward())))
    assert AdminUnit.objects.get(code="G01").parent.code == "W01"  # type: ignore[union-attr]


def test_names_match_whatever_unicode_form_and_tone_mark_placement() -> None:
    import_areas(collection(*small_ward()))
    decomposed = unicodedata.normalize("NFD", "thôn hòa bình")
    assert AdminUnit.objects.by_name(decomposed).get().code == "G02"
    assert AdminUnit.objects.by_name("Thôn Hoà Bình").get().code == "G02"


def test_a_user_without_the_permission_cannot_import(django_user_model: type) -> None:
    user = django_user_model.objects.create_user("khach", password="x")  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        import_areas(collection(*small_ward()), user=user)
    assert AdminUnit.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"[]",
        b'{"type": "Feature"}',
        b"[" * 100_000,
        b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
        b'"properties":{"code":NaN}}]}',
    ],
    ids=["empty", "garbage", "array", "not-a-collection", "deep-nesting", "nan"],
)
def test_malformed_files_are_refused_with_a_reason(payload: bytes) -> None:
    with pytest.raises(AreaImportError) as caught:
        import_areas(payload)
    assert caught.value.lines(vietnamese=False)
    assert AdminUnit.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_parsed(settings: object) -> None:
    settings.PCTT_AREAS_MAX_IMPORT_BYTES = 1000  # type: ignore[attr-defined]
    with pytest.raises(AreaImportError) as caught:
        import_areas(b" " * 1001 + collection(*small_ward()))
    assert "limit is 1,000" in caught.value.lines(vietnamese=False)[0]


def test_cli_import_prints_one_line_per_bad_feature_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.geojson"
    features = small_ward()
    features[2]["properties"]["households"] = -5
    features[3]["geometry"] = {"type": "Point", "coordinates": [105, 21]}
    path.write_bytes(collection(*features))

    with pytest.raises(CommandError, match="2"):
        call_command("areas", "import", str(path))

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "G01" in err[0] and "G02" in err[1]
    assert AdminUnit.objects.count() == 0


def test_cli_import_of_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.geojson"
    path.write_bytes(collection(*small_ward()))
    call_command("areas", "import", str(path))
    assert "5" in capsys.readouterr().out
    assert AdminUnit.objects.count() == 4


def test_cli_reports_a_missing_file_clearly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"missing\.geojson"):
        call_command("areas", "import", str(tmp_path / "missing.geojson"))
