"""One walk over a CAP element: the text of every field, read from lxml once.

The rules (`pctt.cap.rules`) and the object builder (`pctt.cap.parser`) both work from what this
reads. After parsing and the XSD, crossing from libxml2 into Python (an element proxy, its tag,
its text) is the costliest part of validating a message, so each element is crossed once and
nothing else is kept. Lines are looked up in the tree only when an issue needs one.
Where pctt.cap._fastread is built (pctt.cap.speedups), it does the same walk in C, straight from
libxml2's nodes, and fills the same `Fields`; the Python loop below is its twin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from lxml import etree

from pctt.cap.issues import line_of
from pctt.cap.model import CAP12_NS, ValuePair
from pctt.cap.times import parse_cap_time

# What each child is to its parent: a text field (looked up first, in _TEXT_TAGS), a nested
# block (info, area, resource), a valueName/value pair, or skipped (comments, PIs). Anything
# else (another namespace, an unknown CAP name) is foreign.
BLOCK: Final = 1
PAIR: Final = 2
SKIP: Final = 3
FOREIGN: Final = 4

_TEXT_NAMES = (  # noqa: SIM905 — one word per name reads better than 40 lines
    "identifier sender sent status msgType source scope restriction addresses code note "
    "references incidents language category event responseType urgency severity "
    "certainty audience effective onset expires senderName headline description "
    "instruction web contact resourceDesc mimeType size uri derefUri digest "
    "areaDesc polygon circle altitude ceiling valueName value"
).split()
_BLOCK_NAMES = ("info", "area", "resource")
_PAIR_NAMES = ("eventCode", "parameter", "geocode")
CAP_TAGS: Final = {
    name: f"{{{CAP12_NS}}}{name}" for name in (*_TEXT_NAMES, *_BLOCK_NAMES, *_PAIR_NAMES)
}

_KINDS: dict[object, tuple[str, int]] = {
    **{CAP_TAGS[name]: (name, BLOCK) for name in _BLOCK_NAMES},
    **{CAP_TAGS[name]: (name, PAIR) for name in _PAIR_NAMES},
    etree.Comment: ("", SKIP),
    etree.ProcessingInstruction: ("", SKIP),
    etree.Entity: ("", SKIP),
}
_TEXT_TAGS: dict[object, str] = {CAP_TAGS[name]: name for name in _TEXT_NAMES}
_FOREIGN: Final = ("", FOREIGN)
_new_pair = tuple.__new__
_VALUE_NAME, _VALUE = CAP_TAGS["valueName"], CAP_TAGS["value"]


class Fields:
    """One CAP element (alert, info, area or resource) as read.

    `text` holds the first text of each field ('' when empty); `repeated` every text of a field
    that occurs more than once (category, code, polygon …), in document order.
    `schema_valid` (the XSD accepted the alert) lets pairs be read without checking their tags
    and times without the pattern the XSD already applied.
    """

    __slots__ = (
        "_times",
        "blocks",
        "element",
        "foreign",
        "pairs",
        "repeated",
        "schema_valid",
        "text",
    )
    text: dict[str, str]
    repeated: dict[str, list[str]]
    blocks: dict[str, list[Fields]]
    pairs: dict[str, list[ValuePair]]
    foreign: list[etree._Element]

    def __init__(self, element: etree._Element, *, schema_valid: bool = False) -> None:
        if _compiled is not None:  # fills every slot, nested blocks included
            _compiled(self, element, schema_valid)
            return
        self.element = element
        self.schema_valid = schema_valid
        self._times: dict[str, datetime | None] = {}
        self._read(element, schema_valid)

    def _read(self, element: etree._Element, schema_valid: bool) -> None:
        """The Python reader; pctt.cap._fastread does the same in C (held equal by the tests)."""
        text: dict[str, str] = {}
        self.text = text
        self.repeated = {}
        self.blocks = {}
        pairs: dict[str, list[ValuePair]] = {}
        self.pairs = pairs
        self.foreign = []
        text_names, kinds = _TEXT_TAGS, _KINDS
        for child in element:  # the hot loop: one tag and one text per child
            tag = child.tag
            name = text_names.get(tag)
            if name is not None:
                if name in text:
                    self._repeat(name, child.text or "")
                else:
                    text[name] = child.text or ""
                continue
            name, kind = kinds.get(tag, _FOREIGN)
            if kind == PAIR:
                if schema_valid and len(child) == 2:
                    # The XSD allows exactly valueName then value; a comment or PI would make
                    # a third child. tuple.__new__ skips NamedTuple's Python-level __new__.
                    pair = _new_pair(ValuePair, (child[0].text or "", child[1].text or ""))
                else:
                    pair = _checked_pair(child)
                if name in pairs:
                    pairs[name].append(pair)
                else:
                    pairs[name] = [pair]
            elif kind == BLOCK:
                self._block(name, Fields(child, schema_valid=schema_valid))
            elif kind == FOREIGN:
                self.foreign.append(child)

    def _block(self, name: str, block: Fields) -> None:
        found = self.blocks.get(name)
        if found is None:
            self.blocks[name] = [block]
        else:
            found.append(block)

    def _repeat(self, name: str, value: str) -> None:
        found = self.repeated.get(name)
        if found is None:
            self.repeated[name] = [self.text[name], value]
        else:
            found.append(value)

    def all(self, name: str) -> tuple[str, ...]:
        """Every text of `name`, in document order."""
        found = self.repeated.get(name)
        if found is not None:
            return tuple(found)
        first = self.text.get(name)
        return () if first is None else (first,)

    def time(self, name: str) -> datetime | None:
        """The first `name` field as a CAP time; None when absent or not a CAP time.

        Parsed once for the rules and the objects.
        """
        times = self._times
        if name in times:
            return times[name]
        text = self.text.get(name)
        if text is None:
            moment = None
        elif self.schema_valid:
            # The XSD pattern already holds; fromisoformat refuses only a ',' zone sign or
            # surrounding blanks, which the full parse then judges.
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = parse_cap_time(text)
        else:
            moment = parse_cap_time(text)
        times[name] = moment
        return moment

    def line(self, name: str = "", index: int = 0) -> int | None:
        """Source line of the index-th `name` child, or of this element when name is ''."""
        if not name:
            return line_of(self.element)
        if _child_line is not None:
            line = _child_line(self.element, name, index)
            if line is not None:
                return line
        for position, child in enumerate(self.element.iterchildren(CAP_TAGS[name])):
            if position == index:
                return line_of(child)
        raise KeyError(name)


def _checked_pair(element: etree._Element) -> ValuePair:
    found: dict[object, str] = {}
    for child in element:
        if child.tag in (_VALUE_NAME, _VALUE):
            found.setdefault(child.tag, child.text or "")
    return ValuePair(found.get(_VALUE_NAME, ""), found.get(_VALUE, ""))


_Fill = Callable[["Fields", etree._Element, bool], None]
_ChildLine = Callable[[etree._Element, str, int], "int | None"]


def _load_compiled() -> tuple[_Fill, _ChildLine] | None:
    """pctt.cap._fastread's reader and line finder, when built for the lxml and libxml2 loaded
    (it reads their structures); None otherwise, and the Python loop reads."""
    import lxml

    try:
        from pctt.cap import _fastread as module
    except ImportError:
        return None
    libxml = ".".join(map(str, etree.LIBXML_VERSION))
    try:
        if module.built_against() != (lxml.__version__, libxml):  # type: ignore[attr-defined]
            return None
        module.setup(etree._Element, ValuePair, Fields)
        return module.fill, module.child_line
    except (AttributeError, TypeError):  # a module from an older pctt: rebuilt by ./pctt.sh
        return None


_compiled, _child_line = _load_compiled() or (None, None)


def compiled_reader_in_use() -> bool:
    return _compiled is not None


def use_compiled_reader(enabled: bool) -> bool:
    """Switch between the compiled and the Python reader (for tests); returns the old state."""
    global _compiled, _child_line
    was = _compiled is not None
    _compiled, _child_line = (_load_compiled() if enabled else None) or (None, None)
    return was
