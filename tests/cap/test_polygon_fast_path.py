"""The numpy fast path for large polygons agrees with the exact per-point check."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pctt.cap import parse
from pctt.cap.geometry import (
    FAST_PATH_MIN_CHARS,
    GeometryError,
    _check_characters,
    _checked_coordinates,
    check_polygon,
    polygon_is_plainly_valid,
)

from .shared_data import cap_file


def exact(text: str) -> tuple[str, str] | None:
    """The per-point check alone: None when valid, else (rule, detail)."""
    try:
        _check_characters(text)
        _checked_coordinates(text)
    except GeometryError as error:
        return error.rule, error.detail
    return None


def checked(text: str) -> tuple[str, str] | None:
    try:
        check_polygon(text)
    except GeometryError as error:
        return error.rule, error.detail
    return None


# Numbers in every spelling float() accepts or refuses near the limits.
SPELLINGS = (
    *("90", "90.0", "-90.", "180", "180.000", "-180", "179.99", "89.999", "090", "0180"),
    *("9", "99", "100", "189", "1000", ".5", "5.", "-.5", "+5", ".", "-", "1e5", "inf", ""),
)
number = st.one_of(
    st.floats(-200, 200, allow_nan=False).map(lambda f: repr(round(f, 6))),
    st.from_regex(r"[-+]?[0-9]{0,4}(\.[0-9]{0,3})?", fullmatch=True),
    st.sampled_from(SPELLINGS),
)
separator = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\t", "\r\n", ",", " ,", ";"])


@st.composite
def polygon_texts(draw):
    pairs = draw(st.lists(st.tuples(number, number), max_size=12))
    texts = [f"{lat},{lon}" for lat, lon in pairs]
    if texts and draw(st.booleans()):
        texts.append(texts[0])
    text = "".join((draw(separator) if i else "") + pair for i, pair in enumerate(texts))
    return draw(st.sampled_from(["", " ", "\n  "])) + text + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(polygon_texts())
def test_the_fast_path_only_accepts_what_the_exact_check_accepts(text):
    if polygon_is_plainly_valid(text):
        assert exact(text) is None


def random_polygon(rng: random.Random, points: int, separator: str = " ") -> str:
    def coordinate(limit: int) -> str:
        value = rng.uniform(-limit + 1, limit - 1)  # ±90 and ±180 themselves take the slow path
        return rng.choice([f"{value:.6f}", f"{value:.13f}", f"{value:.0f}", f"{value:.1f}"])

    pairs = [f"{coordinate(90)},{coordinate(180)}" for _ in range(points)]
    pairs.append(pairs[0])
    return separator.join(pairs)


@pytest.mark.parametrize("seed", range(8))
def test_the_fast_path_accepts_plain_valid_polygons(seed):
    rng = random.Random(seed)
    text = random_polygon(rng, rng.randint(3, 3000), rng.choice([" ", "\n", "\t"]))
    assert exact(text) is None
    assert polygon_is_plainly_valid(text)


@pytest.mark.parametrize("seed", range(40))
def test_large_polygons_with_one_defect_give_the_exact_error(seed):
    """Big enough for the fast path; the error (rule and detail) is the per-point one."""
    rng = random.Random(seed)
    pairs = random_polygon(rng, max(500, FAST_PATH_MIN_CHARS // 10)).split(" ")
    index = rng.randrange(len(pairs))
    lat, lon = pairs[index].split(",")
    defect = rng.choice(
        [
            f"{lat},{rng.choice(['180.0001', '-181', '1000', '0180.5', '180'])}",
            f"{rng.choice(['90.5', '-91', '99', '090', '90', '-90.000'])},{lon}",
            f"{lat},,{lon}",
            f"{lat}{lon}",
            f"{lat},{lon}.5",
            f"{lat},{lon},1",
            f"{lat},-{lon}",
            f"{lat},1e5",
            f"{lat}, {lon}",
            f"{lat},{lon} ",
            f"{lat},{lon}x",
            f".,{lon}",
            f"+-{lat},{lon}",
        ]
    )
    pairs[index] = defect
    if rng.random() < 0.2:
        pairs = pairs[:-1]  # not closed
    text = " ".join(pairs)
    assert len(text) >= FAST_PATH_MIN_CHARS
    assert checked(text) == exact(text)


def test_defects_deep_inside_a_large_polygon_are_found():
    rng = random.Random(1)
    text = random_polygon(rng, 20_000)
    assert polygon_is_plainly_valid(text)
    boundary = text.index(" ", len(text) // 2)
    before, after = text[:boundary], text[boundary + 1 :]
    double_space = before + "  " + after  # valid, but not plain: exact check decides
    assert not polygon_is_plainly_valid(double_space)
    assert checked(double_space) is None
    for broken in (before + "," + after, before + after, before + " ," + after):
        assert not polygon_is_plainly_valid(broken)
        assert checked(broken) == exact(broken) is not None


def test_the_41k_vertex_polygon_takes_the_fast_path():
    alert = parse(cap_file("wis2box_burkina_faso_41k_vertex_polygon.xml")).alerts[0]
    text = alert.infos[0].areas[0].polygons[0]
    assert polygon_is_plainly_valid(text)
    assert exact(text) is None


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("-95.5,10.0", "-95.5,10.0"),  # signed first latitude out of range
        ("+95,10", "+95,10"),
        ("95,10", "95,10"),  # unsigned, no fraction
        ("5,181", "5,181"),
        ("5,-180.5", "5,-180.5"),
        (".,10", ".,10"),  # a number without a digit, first and last
        ("5,10.", "5,10."),  # valid: float() takes "10."
        ("-.5,+.5", "-.5,+.5"),  # valid too
        ("5,10", "5,10,"),
        ("5,10", "5,10-"),
        (",5,10", "5,10"),
    ],
)
def test_the_first_and_last_pairs_are_checked_like_the_rest(first, last):
    rng = random.Random(2)
    middle = random_polygon(rng, 2000)
    text = f"{first} {middle} {last}"
    assert checked(text) == exact(text)
    if polygon_is_plainly_valid(text):
        assert exact(text) is None


@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(polygon_texts())
def test_small_polygons_get_the_exact_checks_verdict(text):
    """Below the numpy size the one-regex path decides plain polygons; same verdict, same error."""
    assert len(text) < FAST_PATH_MIN_CHARS
    assert checked(text) == exact(text)
