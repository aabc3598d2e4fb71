"""Documents from outside: CAP (parse, validate, write), GeoJSON areas, CSV subscriber lists.

Generated and damaged input either parses or fails with the documented error — never another
exception — and what parses writes back to the same thing.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.areas.geo.geojson import parse_feature_collection
from pctt.cap import CapError, parse, to_xml, validate
from tests.cap.test_properties import ALERTS
from tests.fuzz.profile import FUZZ, FUZZ_DB

# -- CAP -----------------------------------------------------------------------------------


@FUZZ
@given(ALERTS)
def test_cap_written_then_parsed_is_the_same_alert(alert: Any) -> None:
    xml = to_xml(alert)
    assert parse(xml).alerts == (alert,)
    report = validate(xml)  # never raises; rules may add errors, the alerts are still built
    assert report.alerts == (alert,)
    assert to_xml(parse(xml).alerts[0]) == xml


@st.composite
def damaged_cap(draw: st.DrawFn) -> bytes:
    xml = bytearray(to_xml(draw(ALERTS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(xml)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(
            st.sampled_from(
                [b"<", b">", b"&", b"&amp;", b"<!ENTITY x 'y'>", b"\x00", b"\xff", b"]]>"]
            )
            | st.binary(min_size=1, max_size=8)
        )
        if action == "insert":
            xml[at:at] = chunk
        elif action == "delete":
            del xml[at : at + len(chunk)]
        else:
            xml[at : at + len(chunk)] = chunk
    return bytes(xml)


@FUZZ
@given(damaged_cap() | st.binary(max_size=2000))
def test_damaged_cap_only_ever_raises_cap_error(data: bytes) -> None:
    try:
        result = parse(data)
    except CapError as error:
        assert error.issues
    else:
        for alert in result.alerts:
            assert parse(to_xml(alert)).alerts == (alert,)
    report = validate(data)  # documented: never raises for bad input
    assert report.valid or report.errors


# -- GeoJSON ---------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)
RING = st.lists(
    st.tuples(
        st.floats(min_value=100, max_value=110, allow_nan=False),
        st.floats(min_value=8, max_value=24, allow_nan=False),
    ),
    min_size=0,
    max_size=6,
).map(lambda points: [list(p) for p in points] + ([list(points[0])] if points else []))
FEATURE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature", "Polygon"]),
        "properties": st.fixed_dictionaries(
            {},
            optional={
                "code": st.text(max_size=12),
                "name": st.text(max_size=30),
                "level": st.sampled_from(["province", "commune", "ward", "hamlet", "x"]),
                "parent": st.text(max_size=12),
                "population": JSON_VALUES,
            },
        )
        | JSON_VALUES,
        "geometry": st.fixed_dictionaries(
            {
                "type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]),
                "coordinates": st.lists(RING, max_size=2) | JSON_VALUES,
            }
        )
        | JSON_VALUES,
    }
)


@FUZZ
@given(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["FeatureCollection", "Feature"]),
            "features": st.lists(FEATURE, max_size=4),
        }
    ).map(lambda d: __import__("json").dumps(d).encode())
    | st.binary(max_size=500)
)
def test_geojson_import_never_raises_and_explains_refusals(data: bytes) -> None:
    plan = parse_feature_collection(data, known_codes={"P1": "province"}, max_features=50)
    for error in plan.errors:
        assert str(getattr(error, "message", "") or error)


# -- CSV subscriber import --------------------------------------------------------------------

CELL = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20
) | st.sampled_from(
    ["0912345678", "+84 91 234 5678", "a@b.vn", "sms;email", "có", "2026-01-31", "105.1", "x"]
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(
        st.lists(
            st.sampled_from(["phone", "email", "group", "lon", "lat", "channels", "drills", "x"]),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    rows = draw(st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=5))
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.django_db
@FUZZ_DB
@given(csv_files() | st.binary(max_size=300))
def test_csv_import_creates_all_or_nothing_and_names_each_problem(data: bytes) -> None:
    from pctt.dispatch.imports import ImportRefused, import_subscribers
    from pctt.dispatch.models import Subscriber

    before = Subscriber.objects.count()
    try:
        report = import_subscribers(data)
    except ImportRefused as refused:
        assert refused.report.errors and all(e.message for e in refused.report.errors)
        assert Subscriber.objects.count() == before  # nothing half-imported
        return
    assert Subscriber.objects.count() == before + report.created
