"""Polygon and circle checks."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pctt.cap import parse
from pctt.cap.geometry import (
    GeometryError,
    check_circle,
    check_polygon,
    parse_circle,
    parse_polygon,
)

from .shared_data import cap_file


def test_the_41k_vertex_polygon_is_checked_and_a_bad_vertex_found():
    alert = parse(cap_file("wis2box_burkina_faso_41k_vertex_polygon.xml")).alerts[0]
    text = alert.infos[0].areas[0].polygons[0]
    check_polygon(text)
    assert len(parse_polygon(text)) > 41_000
    broken = text.replace("15.0826080000001,-0.585537", "15.0826080000001,-180.5", 1)
    with pytest.raises(GeometryError) as caught:
        check_polygon(broken)
    assert caught.value.rule == "cap.polygon.range"
    assert "-180.5" in caught.value.detail


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "cap.polygon.points"),
        (",", "cap.polygon.format"),
        ("1,2 1,2 1,2", "cap.polygon.points"),
        ("1,2 3,4 5,6 1,inf", "cap.polygon.format"),
        ("1,2 3,4 5,6 1,1e2", "cap.polygon.format"),
        ("1,2 3,4 5,6 1,2.2.2", "cap.polygon.format"),
        ("1,2 3,4 5,6 1," + "9" * 400, "cap.polygon.range"),
        ("90.0000001,2 3,4 5,6 90.0000001,2", "cap.polygon.range"),
    ],
)
def test_polygon_edge_cases(text, rule):
    with pytest.raises(GeometryError) as caught:
        check_polygon(text)
    assert caught.value.rule == rule


def test_polygon_limits_are_inclusive():
    check_polygon("90,180 -90,180 -90,-180 90,180")


def test_a_token_with_two_commas_is_not_two_coordinates():
    with pytest.raises(GeometryError) as caught:
        parse_polygon("1,2,3 4 1,2 1,2 1,2")
    assert caught.value.rule == "cap.polygon.format"


def test_circle_is_centre_and_radius_in_km():
    circle = parse_circle("21.03,105.85 5.5")
    assert circle.centre == (21.03, 105.85)
    assert circle.radius_km == 5.5


def _verdict(check, text):
    try:
        check(text)
    except GeometryError as error:
        return error.rule, error.detail
    return None


@settings(max_examples=600, deadline=None)
@given(
    st.text(alphabet="0123456789.,-+ \t_eEinfa", max_size=30)
    | st.builds(
        "{},{} {}".format,
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
    )
)
def test_the_circle_check_judges_as_the_circle_parser(text):
    assert _verdict(check_circle, text) == _verdict(parse_circle, text)
