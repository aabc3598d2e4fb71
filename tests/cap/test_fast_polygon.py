"""The compiled polygon check (pctt.cap._fastpolygon.plainly_valid) keeps its contract.

True means "a valid CAP polygon": the exact per-point check in geometry.py must accept the text.
False means "don't know" and costs only speed, so the tests also hold it to the plain form it is
meant to recognise, spelled out below as a regular expression (`plain`): the two must agree on
every text. Under CI the module must be built, so that these tests exercise it.
"""

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pctt.cap import geometry
from pctt.cap.model import CAP12_NS

from .shared_data import CAP_DIR

try:
    from pctt.cap import _fastpolygon
except ImportError:  # not built
    _fastpolygon = None  # type: ignore[assignment]

if _fastpolygon is None and os.environ.get("CI") != "true":
    pytest.skip("pctt.cap._fastpolygon is not built (./pctt.sh builds it)", allow_module_level=True)


def plainly_valid(text: str) -> bool:
    assert _fastpolygon is not None, "pctt.cap._fastpolygon is not built or not loadable"
    return _fastpolygon.plainly_valid(text)


def exactly_valid(text: str) -> bool:
    """The per-point check that produces the error messages."""
    try:
        geometry._check_characters(text)
        geometry._checked_coordinates(text)
    except geometry.GeometryError:
        return False
    return True


# The plain form: single blanks between pairs, each number [+-]digits[.digits], integer parts
# plainly in range (latitude: d or [0-8]d; longitude: d, dd or 1[0-7]d), at least 4 pairs.
_LATITUDE = r"[-+]?[0-8]?[0-9](?:\.[0-9]+)?"
_LONGITUDE = r"[-+]?(?:1[0-7][0-9]|[0-9]{1,2})(?:\.[0-9]+)?"
_PAIR = f"{_LATITUDE},{_LONGITUDE}"
_PLAIN = re.compile(rf"[ \t\n\r]*({_PAIR})(?:[ \t\n\r]{_PAIR}){{2,}}[ \t\n\r]({_PAIR})[ \t\n\r]*")


def plain(text: str) -> bool:
    """What plainly_valid must answer: the plain form, closed by the same text."""
    match = _PLAIN.fullmatch(text)
    return match is not None and match.group(1) == match.group(2)


def check(text: str) -> bool:
    """plainly_valid(text), after checking it against the plain form and the exact check."""
    answer = plainly_valid(text)
    assert answer is plain(text), repr(text)
    if answer:
        assert exactly_valid(text), repr(text)
    return answer


def test_the_module_is_built() -> None:
    assert _fastpolygon is not None, "pctt.cap._fastpolygon is not built or not loadable"


# --- real polygons ------------------------------------------------------------------------------


def real_polygons() -> list[tuple[str, str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found = []
    for path in sorted(CAP_DIR.glob("*.xml")):
        try:
            root = etree.parse(str(path), parser)
        except etree.XMLSyntaxError:
            continue
        for index, element in enumerate(root.iter(f"{{{CAP12_NS}}}polygon")):
            found.append((f"{path.name}#{index}", element.text or ""))
    return found


REAL_POLYGONS = real_polygons()


def test_the_41k_vertex_polygon_is_plainly_valid() -> None:
    (text,) = (text for name, text in REAL_POLYGONS if name.startswith("wis2box_burkina_faso"))
    assert len(text) > 800_000
    assert check(text)


@pytest.mark.parametrize(("name", "text"), REAL_POLYGONS, ids=[name for name, _ in REAL_POLYGONS])
def test_real_polygons_agree_with_the_exact_check(name: str, text: str) -> None:
    check(text)


def test_there_are_real_polygons() -> None:
    assert len(REAL_POLYGONS) >= 20
    assert sum(map(plainly_valid, (text for _, text in REAL_POLYGONS))) >= 20


# --- generated polygons -------------------------------------------------------------------------

BLANKS = " \t\n\r"
blank = st.sampled_from(BLANKS)
digits = st.text("0123456789", min_size=1, max_size=15)
sign = st.sampled_from(["", "", "+", "-"])
fraction = st.one_of(st.just(""), digits.map(lambda d: "." + d))
latitude_integer = st.one_of(
    st.integers(0, 9).map(str), st.integers(0, 89).map(lambda n: f"{n:02d}")
)
longitude_integer = st.one_of(
    st.integers(0, 9).map(str),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.integers(100, 179).map(str),
)
latitude = st.builds(lambda s, i, f: s + i + f, sign, latitude_integer, fraction)
longitude = st.builds(lambda s, i, f: s + i + f, sign, longitude_integer, fraction)
pair = st.builds(lambda lat, lon: f"{lat},{lon}", latitude, longitude)


@st.composite
def plain_polygons(draw: st.DrawFn, max_points: int = 300) -> str:
    """A valid polygon as senders write it: 4..max_points pairs, the last repeating the first."""
    pairs = draw(st.lists(pair, min_size=3, max_size=max_points - 1))
    pairs.append(pairs[0])
    text = pairs[0]
    for following in pairs[1:]:
        text += draw(blank) + following
    before = draw(st.text(BLANKS, max_size=3))
    after = draw(st.text(BLANKS, max_size=3))
    return before + text + after


ALPHABET = "0123456789.,+- \t\n\r9e"
# Also what no rule allows: between '+' and '.' or next to them in ASCII, controls, non-ASCII.
OTHERS = "!*)/:;E_\x00\x0b\x0c\x1f\x7f\xa0\u0663"


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with a few insertions, deletions, replacements or doubled blanks."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "double blank"]))
        character = draw(st.sampled_from(ALPHABET) | st.sampled_from(OTHERS))
        if kind == "insert":
            text = text[:at] + character + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "replace":
            text = text[:at] + character + text[at + 1 :]
        else:
            blanks = [i for i, c in enumerate(text) if c in BLANKS]
            if blanks:
                i = draw(st.sampled_from(blanks))
                text = text[:i] + text[i] + text[i:]
    return text


texts = st.one_of(
    st.text(ALPHABET, max_size=200),
    plain_polygons(max_points=40),
    plain_polygons(max_points=40).flatmap(mutated),
    plain_polygons(max_points=40).flatmap(mutated).flatmap(mutated),
)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts, st.integers(0, 70))
def test_true_only_for_what_the_exact_check_accepts(text: str, padding: int) -> None:
    """Also with leading blanks of every length (skipped before the 64-byte blocks start)."""
    check(" " * padding + text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(plain_polygons())
def test_plain_valid_polygons_are_recognised(text: str) -> None:
    assert check(text)


def polygon_of_length(length: int, separator: str = " ") -> str:
    """A plain valid polygon of exactly `length` characters (at least 35)."""
    head = "1.5,2.5" + separator + "3.5,4.5" + separator + "5.5,6."
    tail = separator + "1.5,2.5"
    return head + "7" * (length - len(head) - len(tail)) + tail


@pytest.mark.parametrize("length", [35, 63, 64, 65, 127, 128, 129, 191, 192, 193, 1000])
def test_polygons_ending_near_a_block_boundary(length: int) -> None:
    text = polygon_of_length(length)
    assert len(text) == length
    assert check(text)
    assert not check(text[:-1] + ".")  # the last number without its last digit
    assert not check(text + ",")
    assert not check(text[:-1] + "x")
    assert check(text + " ")
    assert not check(text + " 1")


@pytest.mark.parametrize("length", [63, 64, 65, 127, 128, 129])
@pytest.mark.parametrize("at", [0.0, 0.5, 1.0])
def test_a_defect_at_any_block_position(length: int, at: float) -> None:
    text = polygon_of_length(length)
    position = min(int(at * length), length - 1)
    for replacement in ".,+- x\x0b":
        check(text[:position] + replacement + text[position + 1 :])


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("89", "179", True),
        ("-9.5", "-99.5", True),
        ("95", "0", False),
        ("100", "0", False),
        ("0", "185", False),
        ("0", "200", False),
        ("0", "1000", False),
        ("0", "1.2.3", False),
        ("1..2", "0", False),
    ],
)
def test_numbers_across_block_boundaries(lat: str, lon: str, expected: bool) -> None:
    """A longer first pair moves the number over every position of a 64-byte block."""
    for shift in range(72):
        first = "1." + "5" * shift + ",2" if shift else "1,2"
        text = f"{first} {lat},{lon} 3,4 {first}"
        assert check(text) is expected, text


# --- the rules one by one ----------------------------------------------------------------------


def around(lat: str, lon: str) -> str:
    """A closed polygon with (lat, lon) in the middle."""
    return f"0,0 {lat},{lon} 1,1 0,0"


def closed_by(lat: str, lon: str) -> str:
    """A closed polygon with (lat, lon) first and last."""
    return f"{lat},{lon} 0,0 1,1 {lat},{lon}"


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("89.999", "0", True),
        ("-89.9", "0", True),
        ("+89", "0", True),
        ("08", "0", True),
        ("90", "0", False),  # valid, but not plainly: Python decides
        ("90.0", "0", False),
        ("-90", "0", False),
        ("99", "0", False),
        ("9.5", "0", True),
        ("007", "0", False),
        ("100", "0", False),
        ("0", "179.9", True),
        ("0", "-179.99", True),
        ("0", "+170", True),
        ("0", "99.5", True),
        ("0", "07", True),
        ("0", "180", False),
        ("0", "-180.0", False),
        ("0", "189", False),
        ("0", "199", False),
        ("0", "200", False),
        ("0", "007", False),
        ("0", "099", False),
        ("0", "1000", False),
        ("0", "1790", False),
        ("0", "1100", False),
        ("5.", "0", False),
        (".5", "0", False),
        ("0", "5.", False),
        ("0", ".5", False),
        ("1..2", "0", False),
        ("1.2.3", "0", False),
        ("0", "1.2.3", False),
        ("--1", "0", False),
        ("+-1", "0", False),
        ("0", "-+1", False),
        ("1-", "0", False),
        ("1+2", "0", False),
        ("-", "0", False),
        ("", "0", False),
        ("0", "", False),
        ("1e5", "0", False),
        ("0", "1e1", False),
    ],
)
def test_numbers(lat: str, lon: str, expected: bool) -> None:
    assert check(around(lat, lon)) is expected
    assert check(closed_by(lat, lon)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,0 1,1 2,2 0,0", True),
        ("0,0\t1,1\n2,2\r0,0", True),
        ("\r\n\t 0,0 1,1 2,2 0,0 \t\r\n", True),
        ("0,0 1,1 2,2", False),  # three pairs, not closed
        ("0,0 1,1 0,0", False),  # three pairs
        ("0,0 1,1 2,2 0.0,0", False),  # closed, but not by the same text: Python decides
        ("0,0 1,1 2,2 0,0,0", False),
        ("0,0 1,1,2 2,2 0,0", False),
        ("0,0 1 1 2,2 0,0", False),
        ("0,0 1,1 2,2 0 0", False),
        ("0,0  1,1 2,2 0,0", False),  # a double blank: valid, Python decides
        ("0,0 1,1\r\n2,2 0,0", False),
        ("0,0 ,1,1 2,2 0,0", False),
        ("0,0 1,,1 2,2 0,0", False),
        ("0,0 1, 1 2,2 0,0", False),
        ("0,0 1 ,1 2,2 0,0", False),
        (",0,0 1,1 2,2 0,0", False),
        ("0,0 1,1 2,2 0,0,", False),
        ("0,0 1,1 2,2 0,0 ,", False),
        ("0,0 1,1\x0b2,2 0,0", False),
        ("0,0 1,1\x0c2,2 0,0", False),
        ("0,0 1,1\x002,2 0,0", False),
        ("0,0 1,1 2,2 0,0\x0b", False),
        ("0,0 1;1 2,2 0,0", False),
        ("0,0 1/1 2,2 0,0", False),
        ("0,0 1/5,1 2,2 0,0", False),
        ("0,0 1!5,1 2,2 0,0", False),
        ("0,0 1,1*5 2,2 0,0", False),
        ("0,0 1,15: 2,2 0,0", False),
        ("0,0 1,1 2,2 0,0:", False),
        ("", False),
        ("   ", False),
        ("0,0", False),
    ],
)
def test_texts(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "0,0 1,1 2,2 0,0\u00a0",  # a non-breaking space: split() takes it, the rules do not
        "0,0 1,1 2,\u0663 0,0",  # an Arabic-Indic digit: float() takes it
        "0,0 1,1 2,2 0,0 \u00e9",
        "0,0 1,1 2,2 0,0" + "\U0001f30d",
    ],
)
def test_non_ascii_text_is_left_to_python(text: str) -> None:
    assert plainly_valid(text) is False


def test_a_str_subclass_gets_a_sound_answer() -> None:
    class Text(str):
        pass

    text = Text("0,0 1,1 2,2 0,0")
    answer = plainly_valid(text)
    assert answer is False or (answer is True and exactly_valid(text))


@pytest.mark.parametrize("argument", [b"0,0 1,1 2,2 0,0", None, 5, ["0,0 1,1 2,2 0,0"]])
def test_only_str_is_accepted(argument: object) -> None:
    with pytest.raises(TypeError):
        plainly_valid(argument)  # type: ignore[arg-type]


def test_wrong_number_of_arguments() -> None:
    assert _fastpolygon is not None
    with pytest.raises(TypeError):
        _fastpolygon.plainly_valid()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _fastpolygon.plainly_valid("0,0 1,1 2,2 0,0", "")  # type: ignore[call-arg]
