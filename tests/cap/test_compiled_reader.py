"""The compiled reader (pctt.cap._fastread) reads every element exactly as the Python loop does.

Both readers fill `pctt.cap.reader.Fields`; the rules and objects are built from what they read,
so any difference would change verdicts. Under CI the compiled reader must be built and in use.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pctt.cap import CapError, reader, safe_xml, validate
from pctt.cap.model import CAP12_NS
from pctt.cap.reader import Fields
from pctt.cap.schema import schema_issues

from .shared_data import CAP_DIR

if not reader.compiled_reader_in_use() and os.environ.get("CI") != "true":
    pytest.skip("pctt.cap._fastread is not built (./pctt.sh builds it)", allow_module_level=True)

ALERT = f"{{{CAP12_NS}}}alert"


def test_the_compiled_reader_is_in_use() -> None:
    assert reader.compiled_reader_in_use(), "pctt.cap._fastread is not built or not loadable"


def snapshot(fields: Fields) -> dict[str, Any]:
    """Everything a reader fills, nested blocks included, in comparable form."""
    return {
        "text": fields.text,
        "repeated": fields.repeated,
        "pairs": {name: [tuple(pair) for pair in pairs] for name, pairs in fields.pairs.items()},
        "pair_types": {type(pair).__name__ for pairs in fields.pairs.values() for pair in pairs},
        "foreign": [etree.tostring(element) for element in fields.foreign],
        "blocks": {
            name: [(etree.tostring(block.element), snapshot(block)) for block in blocks]
            for name, blocks in fields.blocks.items()
        },
    }


def read_both(element: etree._Element, schema_valid: bool) -> tuple[dict[str, Any], ...]:
    compiled = snapshot(Fields(element, schema_valid=schema_valid))
    reader.use_compiled_reader(False)
    try:
        python = snapshot(Fields(element, schema_valid=schema_valid))
    finally:
        reader.use_compiled_reader(True)
    return compiled, python


def alert_elements(data: bytes) -> Iterator[etree._Element]:
    root = safe_xml.load(data, max_depth=None)
    yield root
    yield from root.iter(ALERT)


def readable(path: Path) -> bool:
    try:
        safe_xml.load(path.read_bytes(), max_depth=None)
    except CapError:  # hostile or broken XML: never read
        return False
    return True


@pytest.mark.parametrize(
    "path", [path for path in sorted(CAP_DIR.glob("*.xml")) if readable(path)], ids=str
)
def test_every_shared_message_reads_the_same_in_c_and_python(path: Path) -> None:
    for element in alert_elements(path.read_bytes()):
        # schema_valid=True promises the XSD accepted the alert (pairs are then read by position).
        compiled, python = read_both(element, False)
        assert compiled == python
        if element.tag == ALERT and not schema_issues(element):
            compiled, python = read_both(element, True)
            assert compiled == python


CAP = f'xmlns="{CAP12_NS}"'
PIECES = st.sampled_from(
    [
        "<identifier>a</identifier>",
        "<identifier></identifier>",
        "<identifier/>",
        "<code>x</code>",
        "<code>y</code>",
        "<code><![CDATA[c<d]]></code>",
        "<note>a<!--c-->b</note>",
        "<note>a<?pi x?>b</note>",
        "<note>&amp;&#233;&lt;</note>",
        "<note>a<b:x xmlns:b='urn:b'>i</b:x>t</note>",
        "<headline>Bão số 3</headline>",
        "<unknownCapName>u</unknownCapName>",
        "<b:identifier xmlns:b='urn:b'>other namespace</b:identifier>",
        "<identifier xmlns=''>no namespace</identifier>",
        "<!-- a comment -->",
        "<?pi data?>",
        "<parameter><valueName>n</valueName><value>v</value></parameter>",
        "<parameter><value>v</value><valueName>n</valueName></parameter>",
        "<parameter><valueName>n</valueName></parameter>",
        "<parameter><!--c--><valueName>n</valueName><value>v</value></parameter>",
        "<parameter><valueName>n</valueName><valueName>m</valueName><value/></parameter>",
        "<geocode>text only</geocode>",
        "<eventCode><valueName/><value/></eventCode>",
        "<info><event>e</event><area><areaDesc>d</areaDesc><polygon>1,2</polygon>"
        "<polygon>3,4</polygon></area></info>",
        "<info><resource><resourceDesc>r</resourceDesc><size>3</size></resource></info>",
        "<area><areaDesc/><geocode><valueName>a</valueName><value>b</value></geocode></area>",
        "<ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'><ds:X/></ds:Signature>",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=12))
def test_generated_elements_read_the_same_in_c_and_python(pieces: list[str]) -> None:
    data = f"<alert {CAP}>{''.join(pieces)}</alert>".encode()
    for element in alert_elements(data):
        compiled, python = read_both(element, False)
        assert compiled == python


def test_non_elements_and_wrong_arguments_are_refused_or_read_empty() -> None:
    from pctt.cap import _fastread

    root = etree.fromstring(f"<alert {CAP}><!--c--><?pi x?><identifier>i</identifier></alert>")
    comment, instruction = root[0], root[1]
    for node in (comment, instruction, etree.Entity("amp")):
        empty = Fields.__new__(Fields)
        _fastread.fill(empty, node, False)
        read = (empty.text, empty.repeated, empty.blocks, empty.pairs, empty.foreign)
        assert read == ({}, {}, {}, {}, [])
    for wrong in ("<alert/>", b"<alert/>", None, 3, object()):
        with pytest.raises(TypeError):
            _fastread.fill(Fields.__new__(Fields), wrong, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _fastread.fill(object(), root, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _fastread.fill(Fields.__new__(Fields), root, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _fastread.fill(Fields.__new__(Fields), root)  # type: ignore[call-arg]
    filled = Fields.__new__(Fields)
    _fastread.fill(filled, root, False)
    assert filled.text == {"identifier": "i"} and filled.element is root


def test_validation_verdicts_do_not_depend_on_the_reader() -> None:
    for path in sorted(CAP_DIR.glob("*.xml")):
        data = path.read_bytes()
        compiled = validate(data, verify_signatures=False)
        reader.use_compiled_reader(False)
        try:
            python = validate(data, verify_signatures=False)
        finally:
            reader.use_compiled_reader(True)
        assert compiled == python, path.name


def lines_of(fields: Fields) -> list[tuple[str, int, int | None]]:
    """The line of every CAP child of every element read, nested blocks included."""
    found = [("", 0, fields.line())]
    for child in fields.element:
        tag = child.tag
        name = etree.QName(tag).localname if isinstance(tag, str) else ""
        if reader.CAP_TAGS.get(name) == tag:  # a field, nested block or pair
            index = sum(1 for _ in child.itersiblings(tag, preceding=True))
            found.append((name, index, fields.line(name, index)))
    for blocks in fields.blocks.values():
        for block in blocks:
            found += lines_of(block)
    return found


@pytest.mark.parametrize(
    "path", [path for path in sorted(CAP_DIR.glob("*.xml")) if readable(path)], ids=str
)
def test_lines_are_found_the_same_in_c_and_python(path: Path) -> None:
    for element in alert_elements(path.read_bytes()):
        compiled = lines_of(Fields(element))
        reader.use_compiled_reader(False)
        try:
            python = lines_of(Fields(element))
        finally:
            reader.use_compiled_reader(True)
        assert compiled == python


def test_lines_beyond_65535_are_still_right() -> None:
    # libxml2 keeps such lines outside the node; the compiled lookup hands over to lxml.
    data = f"<alert {CAP}>" + "\n" * 70_000 + "<note>far</note><note>farther</note></alert>"
    fields = Fields(safe_xml.load(data.encode(), max_depth=None))
    assert fields.line("note") == 70_001
    assert fields.line("note", 1) == 70_001
    with pytest.raises(KeyError):
        fields.line("note", 2)
