"""Bytes → CAP 1.2 `Alert` objects.

`parse` accepts what the OASIS schema accepts; the rules the schema cannot express, and
signatures, are checked by `pctt.cap.validator.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lxml import etree

from pctt.cap import safe_xml
from pctt.cap.issues import CapError, line_of
from pctt.cap.model import CAP12_NS, Alert, Area, Info, Resource, ValuePair
from pctt.cap.schema import schema_issues
from pctt.cap.times import parse_cap_time

OLDER_CAP_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
    "urn:oasis:names:tc:emergency:cap:1.0": "1.0",
}

_ALERT = f"{{{CAP12_NS}}}alert"


@dataclass(frozen=True, slots=True)
class AlertDocument:
    """Where the alerts sit in a parsed document; the validator needs the elements for lines."""

    alert_elements: tuple[etree._Element, ...]
    container: bool


@dataclass(frozen=True, slots=True)
class ParseResult:
    alerts: tuple[Alert, ...]
    # True for a non-CAP root (e.g. SMHI's <alerts>) holding several <alert>s.
    container: bool = False


def parse(
    data: bytes,
    *,
    max_bytes: int = safe_xml.DEFAULT_MAX_BYTES,
    max_depth: int = safe_xml.DEFAULT_MAX_DEPTH,
) -> ParseResult:
    """The alerts in `data`; CapError when it is unsafe, not CAP 1.2, or schema-invalid."""
    document = locate_alerts(safe_xml.load(data, max_bytes=max_bytes, max_depth=max_depth))
    alerts = []
    for element in document.alert_elements:
        problems = schema_issues(element)
        if problems:
            raise CapError(problems)
        alerts.append(build_alert(element))
    return ParseResult(alerts=tuple(alerts), container=document.container)


def locate_alerts(root: etree._Element) -> AlertDocument:
    namespace, local_name = _split(root.tag)
    if namespace in OLDER_CAP_NAMESPACES:
        raise CapError.of("cap.version", line=line_of(root), detail=OLDER_CAP_NAMESPACES[namespace])
    if root.tag == _ALERT:
        return AlertDocument(alert_elements=(root,), container=False)
    # SMHI puts alerts straight under <alerts>; EDXL-DE nests one deep inside its envelope.
    children = tuple(root.iter(_ALERT))
    if children:
        return AlertDocument(alert_elements=children, container=True)
    shown = f"<{local_name}> ({namespace or 'no namespace'})"
    raise CapError.of("cap.namespace", line=line_of(root), detail=shown)


def _split(tag: object) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", "?"
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


# --- building objects from a schema-valid <alert> --------------------------------------------

_CAP_ELEMENT_NAMES = (  # noqa: SIM905 — one word per name reads better than 49 lines
    "identifier sender sent status msgType source scope restriction addresses code note "
    "references incidents info language category event responseType urgency severity "
    "certainty audience eventCode effective onset expires senderName headline description "
    "instruction web contact parameter resource resourceDesc mimeType size uri derefUri digest "
    "area areaDesc polygon circle geocode altitude ceiling valueName value"
).split()
_CAP_TAGS = {name: f"{{{CAP12_NS}}}{name}" for name in _CAP_ELEMENT_NAMES}
# Clark tag → local name in one dict lookup (hot path); comments and PIs map to None.
_LOCAL_NAMES: dict[object, str | None] = {
    **{f"{{{CAP12_NS}}}{name}": name for name in _CAP_ELEMENT_NAMES},
    etree.Comment: None,
    etree.ProcessingInstruction: None,
    etree.Entity: None,
}


def fields_of(element: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements by CAP local name; other namespaces under '' (comments dropped)."""
    fields: dict[str, list[etree._Element]] = {}
    for child in element:
        name = _LOCAL_NAMES.get(child.tag, "")
        if name is None:
            continue
        found = fields.get(name)
        if found is None:
            fields[name] = [child]
        else:
            found.append(child)
    return fields


# Children read as blocks of their own, and children kept as elements (valueName/value pairs and
# elements of other namespaces); every other CAP child is a text field.
_BLOCK_NAMES = frozenset(("info", "area", "resource"))
_ELEMENT_NAMES = frozenset(("eventCode", "parameter", "geocode", ""))


class Block:
    """One CAP element read once: the text of each child field, nested blocks, kept elements.

    The rules and the object builder both work from it, so each element's tag and text are
    fetched from lxml once. Lines are looked up in the tree only when an issue needs one.
    """

    __slots__ = ("_times", "blocks", "element", "elements", "first", "texts")

    def __init__(self, element: etree._Element) -> None:
        self.element = element
        self.texts: dict[str, list[str]] = {}  # every text of each field, in document order
        self.first: dict[str, str] = {}  # the first text of each field ('' when empty)
        self.blocks: dict[str, list[Block]] = {}
        self.elements: dict[str, list[etree._Element]] = {}
        self._times: dict[str, datetime | None] | None = None
        local_names, block_names, element_names = _LOCAL_NAMES, _BLOCK_NAMES, _ELEMENT_NAMES
        texts, first = self.texts, self.first
        for child in element:
            name = local_names.get(child.tag, "")
            if name is None:
                continue
            if name in element_names:
                self.elements.setdefault(name, []).append(child)
            elif name in block_names:
                self.blocks.setdefault(name, []).append(Block(child))
            else:
                text = child.text or ""
                found = texts.get(name)
                if found is None:
                    texts[name] = [text]
                    first[name] = text
                else:
                    found.append(text)

    def time(self, name: str) -> datetime | None:
        """The first `name` field as a CAP time; None when absent or not a CAP time.

        Parsed once for the rules and the objects.
        """
        times = self._times
        if times is None:
            times = self._times = {}
        elif name in times:
            return times[name]
        text = self.first.get(name)
        moment = times[name] = None if text is None else parse_cap_time(text)
        return moment

    def line(self, name: str = "", index: int = 0) -> int | None:
        """Source line of the index-th `name` child, or of this element when name is ''."""
        if not name:
            return line_of(self.element)
        # Only an issue asks, so the children are searched here, by tag inside lxml.
        for position, child in enumerate(self.element.iterchildren(_CAP_TAGS[name])):
            if position == index:
                return line_of(child)
        raise KeyError(name)


def _time(block: Block, name: str) -> datetime:
    moment = block.time(name)
    if moment is None:  # the schema pattern allows ',' as zone sign; fromisoformat does not
        raise CapError.of("cap.time.zone", detail=block.first[name])
    return moment


def _optional_time(block: Block, name: str) -> datetime | None:
    return _time(block, name) if name in block.first else None


def _optional_decimal(block: Block, name: str) -> Decimal | None:
    text = block.first.get(name)
    return None if text is None else Decimal(text.strip())


def _all(block: Block, name: str) -> tuple[str, ...]:
    found = block.texts.get(name)
    return tuple(found) if found else ()


def _pairs(block: Block, name: str) -> tuple[ValuePair, ...]:
    elements = block.elements.get(name)
    if not elements:
        return ()
    pairs = []
    for element in elements:
        try:  # schema-valid and no comment: exactly valueName, value in that order
            value_name, value = element
        except ValueError:
            inner = fields_of(element)
            pairs.append(ValuePair(inner["valueName"][0].text or "", inner["value"][0].text or ""))
        else:
            pairs.append(ValuePair(value_name.text or "", value.text or ""))
    return tuple(pairs)


def build_alert(element: etree._Element) -> Alert:
    return alert_from_block(Block(element))


def alert_from_block(block: Block) -> Alert:
    """The Alert of a schema-valid <alert> read into `block`."""
    first = block.first
    text = first.get
    return Alert(
        identifier=first["identifier"],
        sender=first["sender"],
        sent=_time(block, "sent"),
        status=first["status"],
        msg_type=first["msgType"],
        scope=first["scope"],
        source=text("source"),
        restriction=text("restriction"),
        addresses=text("addresses"),
        codes=_all(block, "code"),
        note=text("note"),
        references=text("references"),
        incidents=text("incidents"),
        infos=tuple(_info(info) for info in block.blocks.get("info", ())),
        foreign_elements=tuple(
            etree.tostring(foreign, with_tail=False) for foreign in block.elements.get("", ())
        ),
    )


def _info(block: Block) -> Info:
    first, blocks = block.first, block.blocks
    text = first.get
    return Info(
        language=text("language"),
        categories=_all(block, "category"),
        event=first["event"],
        response_types=_all(block, "responseType"),
        urgency=first["urgency"],
        severity=first["severity"],
        certainty=first["certainty"],
        audience=text("audience"),
        event_codes=_pairs(block, "eventCode"),
        effective=_optional_time(block, "effective"),
        onset=_optional_time(block, "onset"),
        expires=_optional_time(block, "expires"),
        sender_name=text("senderName"),
        headline=text("headline"),
        description=text("description"),
        instruction=text("instruction"),
        web=text("web"),
        contact=text("contact"),
        parameters=_pairs(block, "parameter"),
        resources=tuple(_resource(r) for r in blocks.get("resource", ())),
        areas=tuple(_area(a) for a in blocks.get("area", ())),
    )


def _resource(block: Block) -> Resource:
    first = block.first
    text = first.get
    size = text("size")
    return Resource(
        resource_desc=first["resourceDesc"],
        mime_type=first["mimeType"],
        size=None if size is None else int(size.strip()),
        uri=text("uri"),
        deref_uri=text("derefUri"),
        digest=text("digest"),
    )


def _area(block: Block) -> Area:
    return Area(
        area_desc=block.first["areaDesc"],
        polygons=_all(block, "polygon"),
        circles=_all(block, "circle"),
        geocodes=_pairs(block, "geocode"),
        altitude=_optional_decimal(block, "altitude"),
        ceiling=_optional_decimal(block, "ceiling"),
    )
