"""GeoJSON import checks (pctt.areas.geo.geojson): good files, every error path, fuzzing."""

from __future__ import annotations

import contextlib
import copy
import json
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pctt.areas.geo import (
    AreaFeature,
    FeatureError,
    ImportPlan,
    parse_feature_collection,
)

LON, LAT = 105.80, 21.00  # a ward in Hà Nội


def square(x: float, y: float, size: float = 0.01) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def polygon(x: float = LON, y: float = LAT, size: float = 0.01) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [square(x, y, size)]}


def feature(
    code: str | None,
    level: str,
    parent: str | None = None,
    *,
    name: str | None = None,
    geometry: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    props: dict[str, Any] = {"level": level, "name": name or f"Khu {code}"}
    if code is not None:
        props["code"] = code
    if parent is not None:
        props["parent_code"] = parent
    props.update(extra)
    return {"type": "Feature", "properties": props, "geometry": geometry or polygon()}


def collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def parse(data: bytes, known: Mapping[str, str] | None = None, **kwargs: Any) -> ImportPlan:
    plan = parse_feature_collection(data, known_codes=known or {}, **kwargs)
    assert_accounted_for(plan, known or {})
    return plan


def assert_accounted_for(plan: ImportPlan, known: Mapping[str, str]) -> None:
    """Every feature is either kept or has an error; kept features are in insertable order."""
    if any(e.index is None for e in plan.errors):
        assert plan.features == []
        return
    kept = {f.index for f in plan.features}
    failed = {e.index for e in plan.errors}
    assert kept.isdisjoint(failed)
    assert kept | failed == set(range(plan.feature_count))
    seen: set[str] = set()
    for f in plan.features:
        assert f.parent_code is None or f.parent_code in seen or f.parent_code in known
        seen.add(f.code)


def only_error(plan: ImportPlan) -> FeatureError:
    assert len(plan.errors) == 1, plan.errors
    return plan.errors[0]


# --- good files ------------------------------------------------------------------------------

WARD_WITH_EVERYTHING = [
    # children first on purpose: the plan must reorder them
    feature(
        "TDP-07",
        "residential_group",
        "00004",
        name="Tổ dân phố 7",
        households=312,
        population=1104,
        elderly_alone=9,
        disabled=3,
        young_children=0,
    ),
    feature(
        "FLOOD-1",
        "hazard_zone",
        "00004",
        hazard="flood",
        valid_from="2025-06-01",
        valid_to="2025-11-30",
        geometry={
            "type": "MultiPolygon",
            "coordinates": [
                [square(LON, LAT, 0.004), square(LON + 0.001, LAT + 0.001, 0.001)],  # with a hole
                [square(LON + 0.006, LAT, 0.002)],
            ],
        },
    ),
    feature("THON-1", "hamlet", "00004", name=unicodedata.normalize("NFD", "Thôn Đông")),
    feature("00004", "ward", "01", name="Phường Ba Đình"),
    feature(
        "01",
        "province",
        name="Thành phố Hà Nội",
        geometry={"type": "Polygon", "coordinates": [[[*p, 12.5] for p in square(LON, LAT, 1)]]},
    ),
]


def test_good_file_is_planned_parents_first() -> None:
    plan = parse(collection(*WARD_WITH_EVERYTHING))
    assert plan.ok and plan.errors == []
    assert plan.feature_count == 5
    assert [f.code for f in plan.features] == ["01", "00004", "TDP-07", "FLOOD-1", "THON-1"]
    assert [f.level for f in plan.features] == [
        "province",
        "commune",  # "ward" is read as commune
        "residential_group",
        "hazard_zone",
        "hamlet",
    ]
    by_code = {f.code: f for f in plan.features}
    group = by_code["TDP-07"]
    assert isinstance(group, AreaFeature)
    assert group.index == 0
    assert group.parent_code == "00004"
    assert group.name == "Tổ dân phố 7"
    assert dict(group.counts) == {
        "households": 312,
        "population": 1104,
        "elderly_alone": 9,
        "disabled": 3,
        "young_children": 0,
    }
    assert group.hazard is None and group.valid_from is None
    assert group.geometry.geom_type == "Polygon"
    assert group.geometry.area == pytest.approx(0.0001)

    zone = by_code["FLOOD-1"]
    assert zone.hazard == "flood"
    assert str(zone.valid_from) == "2025-06-01" and str(zone.valid_to) == "2025-11-30"
    assert zone.geometry.geom_type == "MultiPolygon"
    assert zone.geometry.area == pytest.approx(0.004**2 - 0.001**2 + 0.002**2)
    assert zone.geojson["type"] == "MultiPolygon"
    assert shapely.geometry.shape(zone.geojson).equals(zone.geometry)

    assert by_code["THON-1"].name == "Thôn Đông"
    assert unicodedata.is_normalized("NFC", by_code["THON-1"].name)
    assert dict(by_code["THON-1"].counts) == {}  # not given is not zero

    province = by_code["01"]
    assert province.parent_code is None
    assert province.geojson["coordinates"][0][0] == [LON, LAT]  # height dropped
    assert not province.geometry.has_z


def test_parent_may_already_be_saved() -> None:
    plan = parse(
        collection(feature("TDP-1", "residential_group", "00004")),
        known={"00004": "ward", "01": "province"},
    )
    assert plan.ok
    assert plan.features[0].parent_code == "00004"


def test_known_code_in_file_is_an_update() -> None:
    known = {"00004": "commune", "01": "province"}
    plan = parse(collection(feature("00004", "commune", "01")), known=known)
    assert plan.ok


def test_utf8_bom_and_extra_members_are_accepted() -> None:
    data = json.loads(collection(feature("01", "province", id=7, colour="red")))
    data["name"] = "demo"
    data["features"][0]["id"] = 7
    plan = parse(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode())
    assert plan.ok


def test_orientation_does_not_matter() -> None:
    clockwise = list(reversed(square(LON, LAT)))
    plan = parse(
        collection(
            feature("01", "province", geometry={"type": "Polygon", "coordinates": [clockwise]})
        )
    )
    assert plan.ok


# --- file-level errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "file is not UTF-8 text (bad byte at position 0)"),
        (b"{", "file is not valid JSON: Expecting property name enclosed in double quotes"),
        (b"", "file is not valid JSON: Expecting value at line 1 column 1"),
        (b"[]", "file is not a GeoJSON FeatureCollection"),
        (b'"FeatureCollection"', "file is not a GeoJSON FeatureCollection"),
        (b'{"type": "Feature"}', "file is not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "the FeatureCollection has no 'features' list"),
        (b'{"type": "FeatureCollection", "features": {}}', "has no 'features' list"),
        (b'{"type": "FeatureCollection", "features": []}', "the FeatureCollection has no features"),
        (b"[" * 200_000 + b"]" * 200_000, "file is nested too deeply to be GeoJSON"),
        (b'{"a": NaN}', "NaN is not allowed in JSON numbers"),
        (b'{"a": Infinity}', "Infinity is not allowed in JSON numbers"),
        (b'{"a": -Infinity}', "-Infinity is not allowed in JSON numbers"),
        (b'{"a": 1e999}', "number 1e999 is too large"),
        (b'{"a": -1e999}', "number -1e999 is too large"),
        (b'{"a": 123456789012345678901234567890}', "is too large"),
        (b'{"a": ' + b"9" * 5000 + b"}", "is too large"),
    ],
)
def test_file_errors(data: bytes, message: str) -> None:
    plan = parse(data)
    error = only_error(plan)
    assert error.index is None and error.code is None
    assert message in error.message
    assert error.message_vi
    assert str(error).startswith("file: ")
    assert plan.features == []


def test_size_is_checked_before_parsing() -> None:
    data = b"{" * 2000  # not JSON, but too big first
    error = only_error(parse(data, max_bytes=1000))
    assert error.message == "file is 2,000 bytes; the limit is 1,000"
    assert error.message_vi == "tệp có 2,000 byte; giới hạn là 1,000"


def test_feature_count_limit() -> None:
    data = collection(*(feature(f"P{i}", "province") for i in range(3)))
    assert parse(data, max_features=3).ok
    error = only_error(parse(data, max_features=2))
    assert error.message == "file has 3 features; the limit is 2"


# --- feature errors --------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], Any]


def set_prop(key: str, value: Any) -> Mutation:
    def mutate(f: dict[str, Any]) -> None:
        f["properties"][key] = value

    return mutate


def drop_prop(key: str) -> Mutation:
    def mutate(f: dict[str, Any]) -> None:
        del f["properties"][key]

    return mutate


def set_geometry(geometry: Any) -> Mutation:
    def mutate(f: dict[str, Any]) -> None:
        f["geometry"] = geometry

    return mutate


def coords(*rings: list[Any]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


BOWTIE = [[105.80, 21.00], [105.82, 21.02], [105.82, 21.00], [105.80, 21.02], [105.80, 21.00]]

FEATURE_ERRORS: list[tuple[str, Mutation, str]] = [
    ("code missing", drop_prop("code"), "property 'code' is required"),
    ("code null", set_prop("code", None), "property 'code' is required"),
    ("code number", set_prop("code", 7), "property 'code' must be a string, not a number"),
    ("code empty", set_prop("code", "  "), "property 'code' is empty"),
    (
        "code long",
        set_prop("code", "X" * 33),
        "property 'code' is 33 characters long; the limit is 32",
    ),
    ("code control", set_prop("code", "A\x00B"), "property 'code' contains control characters"),
    ("name missing", drop_prop("name"), "property 'name' is required"),
    ("name list", set_prop("name", ["a"]), "property 'name' must be a string, not a list"),
    ("name empty", set_prop("name", ""), "property 'name' is empty"),
    ("name long", set_prop("name", "a" * 201), "property 'name' is 201 characters long"),
    ("level missing", drop_prop("level"), "property 'level' is required"),
    (
        "level unknown",
        set_prop("level", "district"),
        "property 'level' is 'district'; expected one of province, commune, residential_group, "
        "hamlet, hazard_zone",
    ),
    ("level object", set_prop("level", {}), "property 'level' is an object; expected one of"),
    ("parent missing", drop_prop("parent_code"), "property 'parent_code' is required"),
    ("parent number", set_prop("parent_code", 4), "property 'parent_code' must be a string"),
    ("own parent", set_prop("parent_code", "TDP-07"), "is its own parent"),
    (
        "count negative",
        set_prop("households", -1),
        "property 'households' is -1; it must be between 0 and 10,000,000",
    ),
    ("count huge", set_prop("population", 10_000_001), "property 'population' is 10000001"),
    (
        "count float",
        set_prop("disabled", 2.5),
        "property 'disabled' must be a whole number, not a number",
    ),
    ("count whole float", set_prop("disabled", 2.0), "property 'disabled' must be a whole number"),
    (
        "count bool",
        set_prop("elderly_alone", True),
        "property 'elderly_alone' must be a whole number, not a boolean",
    ),
    (
        "count string",
        set_prop("young_children", "3"),
        "property 'young_children' must be a whole number, not a string",
    ),
    (
        "hazard on group",
        set_prop("hazard", "flood"),
        "property 'hazard' is only allowed on a hazard_zone, not on a residential_group",
    ),
    (
        "date bad",
        set_prop("valid_from", "2025-13-01"),
        "property 'valid_from' is '2025-13-01'; expected a date like 2025-07-01",
    ),
    ("date compact", set_prop("valid_to", "20250701"), "property 'valid_to' is '20250701'"),
    ("date number", set_prop("valid_to", 2025), "property 'valid_to' is a number"),
    (
        "dates reversed",
        lambda f: f["properties"].update(valid_from="2025-07-01", valid_to="2025-07-01"),
        "valid_to (2025-07-01) must be after valid_from (2025-07-01)",
    ),
    ("geometry missing", set_geometry(None), "geometry is missing"),
    ("geometry string", set_geometry("POLYGON"), "geometry must be an object, not a string"),
    (
        "point",
        set_geometry({"type": "Point", "coordinates": [LON, LAT]}),
        "geometry type 'Point' is not supported; expected Polygon or MultiPolygon",
    ),
    ("no type", set_geometry({"coordinates": []}), "geometry type null is not supported"),
    (
        "no coordinates",
        set_geometry({"type": "Polygon"}),
        "a polygon must be a non-empty list of rings",
    ),
    ("no rings", set_geometry(coords()), "a polygon must be a non-empty list of rings"),
    (
        "ring not list",
        set_geometry({"type": "Polygon", "coordinates": [5]}),
        "a ring must be a list of positions, not a number",
    ),
    (
        "position string",
        set_geometry(coords([[LON, LAT], "x", [LON, LAT], [LON, LAT]])),
        "each position must be a list [longitude, latitude]",
    ),
    ("position 1-D", set_geometry(coords([[LON]] * 4)), "each position must be a list"),
    (
        "coordinate string",
        set_geometry(coords([[str(LON), LAT]] * 4)),
        "a coordinate is a string, not a number",
    ),
    (
        "coordinate null",
        set_geometry(coords([[None, LAT]] * 4)),
        "a coordinate is null, not a number",
    ),
    ("coordinate bool", set_geometry(coords([[True, LAT]] * 4)), "a coordinate is a boolean"),
    (
        "swapped",
        set_geometry(coords([[p[1], p[0]] for p in square(LON, LAT)])),
        "position (21, 105.8) is outside longitude -180..180, latitude -90..90 "
        "(are longitude and latitude swapped, or is this not WGS84?)",
    ),
    (
        "projected",
        set_geometry(coords(square(585_000, 2_322_000, 100))),
        "position (585000, 2322000) is outside",
    ),
    (
        "too few",
        set_geometry(coords(square(LON, LAT)[:3])),
        "a ring has 3 positions; at least 4 are needed",
    ),
    (
        "not closed",
        set_geometry(coords([*square(LON, LAT)[:4], [LON, LAT + 0.001]])),
        "a ring is not closed (its first and last positions differ)",
    ),
    ("bowtie", set_geometry(coords(BOWTIE)), "geometry self-intersects at (105.81, 21.01)"),
    (
        "hole outside",
        set_geometry(coords(square(LON, LAT), square(LON + 1, LAT))),
        "a hole lies outside its polygon at (106.8, 21)",
    ),
    (
        "nested holes",
        set_geometry(
            coords(
                square(LON, LAT, 4), square(LON + 1, LAT + 1, 2), square(LON + 1.5, LAT + 1.5, 1)
            )
        ),
        "a hole lies inside another hole at (107.3, 22.5)",
    ),
    (
        "ring touches itself",
        set_geometry(coords([[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]])),
        "a ring touches itself at (1, 0)",
    ),
    (
        "flat",
        set_geometry(coords([[0, 0], [1, 0], [2, 0], [0, 0]])),
        "geometry self-intersects at (1, 0)",
    ),
    (
        "one point",
        set_geometry(coords([[1, 1]] * 4)),
        "a ring has too few distinct points at (1, 1)",
    ),
    (
        "multipolygon empty",
        set_geometry({"type": "MultiPolygon", "coordinates": []}),
        "a MultiPolygon must be a non-empty list of polygons",
    ),
    (
        "multipolygon nested",
        set_geometry(
            {"type": "MultiPolygon", "coordinates": [[square(0, 0, 4)], [square(1, 1, 1)]]}
        ),
        "a polygon lies inside another polygon of the same MultiPolygon at (1, 1)",
    ),
    (
        "multipolygon overlap",
        set_geometry(
            {"type": "MultiPolygon", "coordinates": [[square(0, 0, 2)], [square(1, 1, 2)]]}
        ),
        "geometry self-intersects at (",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in FEATURE_ERRORS],
)
def test_feature_error(mutate: Mutation, message: str) -> None:
    bad = feature("TDP-07", "residential_group", "00004")
    mutate(bad)
    plan = parse(collection(feature("OK-1", "hamlet", "00004"), bad), known={"00004": "commune"})
    error = only_error(plan)
    assert error.index == 1
    assert message in error.message, error.message
    assert error.message_vi and error.message_vi != error.message
    assert [f.code for f in plan.features] == ["OK-1"]
    if error.code is not None:
        assert error.code == "TDP-07"
        assert str(error) == f"feature 1 (code TDP-07): {error.message}"
        assert error.str_vi() == f"đối tượng 1 (mã TDP-07): {error.message_vi}"


def test_message_example_from_the_cli() -> None:
    bad = feature("TDP-07", "residential_group", "00004", geometry=coords(BOWTIE))
    plan = parse(
        collection(*[feature(f"G{i}", "hamlet", "00004") for i in range(3)], bad),
        known={"00004": "commune"},
    )
    assert plan.error_lines() == [
        "feature 3 (code TDP-07): geometry self-intersects at (105.81, 21.01)"
    ]
    assert plan.error_lines(vietnamese=True) == [
        "đối tượng 3 (mã TDP-07): hình tự cắt nhau tại (105.81, 21.01)"
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not a feature", 'is not a GeoJSON Feature (an object with "type": "Feature")'),
        ({"type": "Polygon"}, "is not a GeoJSON Feature"),
        ({"type": "Feature", "geometry": polygon()}, "has no 'properties' object"),
        (
            {"type": "Feature", "properties": [], "geometry": polygon()},
            "has no 'properties' object",
        ),
    ],
)
def test_not_a_feature(raw: Any, message: str) -> None:
    plan = parse(collection(feature("01", "province"), raw))
    assert plan.errors[0].index == 1
    assert plan.errors[0].code is None
    assert message in plan.errors[0].message
    assert str(plan.errors[0]).startswith("feature 1: ")


def test_hazard_zone_needs_a_known_hazard() -> None:
    known = {"00004": "commune"}
    error = only_error(parse(collection(feature("Z", "hazard_zone", "00004")), known))
    assert error.message == "property 'hazard' is required"
    error = only_error(
        parse(collection(feature("Z", "hazard_zone", "00004", hazard="tsunami")), known)
    )
    assert error.message == (
        "property 'hazard' is 'tsunami'; expected one of flood, landslide, riverside, coastal"
    )
    for hazard in ("flood", "landslide", "riverside", "coastal"):
        assert parse(collection(feature("Z", "hazard_zone", "00004", hazard=hazard)), known).ok


def test_province_has_no_parent() -> None:
    error = only_error(parse(collection(feature("01", "province", "VN"))))
    assert error.message.startswith("a province has no parent_code")
    assert parse(collection(feature("01", "province", parent_code=None))).ok


def test_every_feature_is_checked_and_every_problem_reported() -> None:
    plan = parse(
        collection(
            feature("01", "province", geometry=coords(BOWTIE), households=-5),
            feature("02", "province"),
            {"type": "Feature", "properties": {}, "geometry": None},
        )
    )
    assert [(e.index, e.code) for e in plan.errors] == [
        (0, "01"),
        (0, "01"),
        (2, None),
        (2, None),
        (2, None),
        (2, None),
    ]
    assert [e.message for e in plan.errors if e.index == 2] == [
        "property 'code' is required",
        "property 'name' is required",
        "property 'level' is required",
        "geometry is missing",
    ]
    assert [f.code for f in plan.features] == ["02"]
    assert plan.error_lines()[0].startswith("feature 0 (code 01): property 'households' is -5")
    assert len(plan.error_lines()) == 2


def test_duplicate_codes_flag_every_copy() -> None:
    plan = parse(
        collection(feature("01", "province"), feature("02", "province"), feature("01", "province"))
    )
    assert [(e.index, e.message) for e in plan.errors] == [
        (0, "code 01 is used by 2 features (0, 2)"),
        (2, "code 01 is used by 2 features (0, 2)"),
    ]
    assert [f.code for f in plan.features] == ["02"]


def test_codes_are_compared_after_trimming_and_nfc() -> None:
    plan = parse(
        collection(
            feature("Đ1", "province"), feature(unicodedata.normalize("NFD", " Đ1 "), "province")
        )
    )
    assert len(plan.errors) == 2


def test_unknown_parent() -> None:
    error = only_error(parse(collection(feature("TDP-1", "residential_group", "00099"))))
    assert error.message == "parent 00099 is neither in the file nor already saved"
    assert error.message_vi == "cấp cha 00099 không có trong tệp và chưa được lưu"


@pytest.mark.parametrize(
    ("level", "parent_level", "message"),
    [
        (
            "residential_group",
            "province",
            "parent P is a province; a residential_group belongs to a commune",
        ),
        ("hamlet", "hamlet", "parent P is a hamlet; a hamlet belongs to a commune"),
        ("hazard_zone", "province", "parent P is a province; a hazard_zone belongs to a commune"),
        ("commune", "commune", "parent P is a commune; a commune belongs to a province"),
        ("commune", "hazard_zone", "parent P is a hazard_zone; a commune belongs to a province"),
    ],
)
def test_parent_level_must_fit(level: str, parent_level: str, message: str) -> None:
    child = feature("C", level, "P", hazard="flood" if level == "hazard_zone" else None)
    parent = feature("P", parent_level, None if parent_level == "province" else "X", hazard="flood")
    parent["properties"].pop("hazard") if parent_level != "hazard_zone" else None
    # parent in the file ...
    plan = parse(
        collection(child, parent),
        known={"X": "province" if parent_level == "commune" else "commune"},
    )
    assert [e.message for e in plan.errors] == [message]
    # ... or already saved
    error = only_error(parse(collection(child), known={"P": parent_level}))
    assert error.message == message


def test_known_area_keeps_its_level() -> None:
    error = only_error(parse(collection(feature("00004", "province")), known={"00004": "ward"}))
    assert error.message == "code 00004 already exists as a commune; it cannot become a province"


def test_children_of_a_broken_parent_are_not_kept() -> None:
    plan = parse(
        collection(
            feature("G", "hamlet", "W"),
            feature("W", "commune", "P"),
            feature("P", "province", geometry=coords(BOWTIE)),
            feature("Z", "hazard_zone", "W", hazard="flood"),
            feature("OK", "hamlet", "KNOWN"),
        ),
        known={"KNOWN": "commune"},
    )
    assert [(e.index, e.message) for e in plan.errors] == [
        (0, "parent W in this file has errors"),
        (1, "parent P in this file has errors"),
        (2, "geometry self-intersects at (105.81, 21.01)"),
        (3, "parent W in this file has errors"),
    ]
    assert [f.code for f in plan.features] == ["OK"]


def test_children_of_a_duplicated_parent_are_not_kept() -> None:
    plan = parse(
        collection(feature("P", "province"), feature("P", "province"), feature("W", "commune", "P"))
    )
    assert [e.index for e in plan.errors] == [0, 1, 2]
    assert plan.errors[2].message == "parent P in this file has errors"


# --- fuzzing ---------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["Feature", "Polygon", "MultiPolygon", "province", "commune", "flood", "01"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [
                        "type",
                        "properties",
                        "geometry",
                        "coordinates",
                        "code",
                        "name",
                        "level",
                        "parent_code",
                        "hazard",
                        "households",
                        "valid_from",
                        "valid_to",
                    ]
                ),
                st.text(max_size=5),
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=40,
)

FIELDS = [
    "code",
    "name",
    "level",
    "parent_code",
    "hazard",
    "households",
    "population",
    "valid_from",
    "valid_to",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_never_raises(value: Any) -> None:
    parse(json.dumps(value).encode())
    parse(collection(value) if isinstance(value, dict) else json.dumps(value).encode())


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(data: bytes) -> None:
    parse(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(WARD_WITH_EVERYTHING) - 1),
            st.sampled_from([*FIELDS, "geometry", "coordinates", "ring", "position"]),
            json_values,
        ),
        max_size=4,
    ),
    st.dictionaries(
        st.sampled_from(["00004", "01", "TDP-07", "X"]),
        st.sampled_from(["province", "commune", "ward", "hamlet", "bogus"]),
    ),
)
def test_damaged_good_files_never_raise_nor_drop_features(
    damage: list[tuple[int, str, Any]], known: dict[str, str]
) -> None:
    features = copy.deepcopy(WARD_WITH_EVERYTHING)
    for index, where, value in damage:
        f = features[index]
        # an earlier damage may have removed what a later one reaches into: skip it then
        with contextlib.suppress(LookupError, TypeError):
            if where == "geometry":
                f["geometry"] = value
            elif where == "coordinates":
                f["geometry"]["coordinates"] = value
            elif where == "ring":
                f["geometry"]["coordinates"][0] = value
            elif where == "position":
                f["geometry"]["coordinates"][0][1] = value
            else:
                f["properties"][where] = value
    parse(collection(*features), known)  # parse() checks every feature is accounted for
