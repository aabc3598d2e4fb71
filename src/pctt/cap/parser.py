"""Bytes → CAP 1.2 `Alert` objects.

`parse` accepts what the OASIS schema accepts; the rules the schema cannot express, and
signatures, are checked by `pctt.cap.validator.validate`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from lxml import etree

from pctt.cap import safe_xml
from pctt.cap.issues import CapError, Issue, line_of, make_issue
from pctt.cap.model import CAP12_NS, Alert, Area, Info, Resource
from pctt.cap.reader import Fields
from pctt.cap.schema import schema_issues

OLDER_CAP_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
    "urn:oasis:names:tc:emergency:cap:1.0": "1.0",
}

_ALERT = f"{{{CAP12_NS}}}alert"


class AlertDocument(NamedTuple):
    """Where the alerts sit in a parsed document; the validator needs the elements for lines."""

    alert_elements: tuple[etree._Element, ...]
    container: bool


class ParseResult(NamedTuple):
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
    root = safe_xml.load(data, max_bytes=max_bytes, max_depth=None)
    document = locate_alerts(root)
    problems = [schema_issues(element) for element in document.alert_elements]
    read = [
        Fields(element, schema_valid=not found)
        for element, found in zip(document.alert_elements, problems, strict=True)
    ]
    too_deep = depth_issues(root, document, problems, read, max_depth)
    if too_deep:
        raise CapError(too_deep)
    for found in problems:
        if found:
            raise CapError(found)
    return ParseResult(tuple([alert_from_fields(fields) for fields in read]), document.container)


def depth_issues(
    root: etree._Element,
    document: AlertDocument,
    schema_problems: list[tuple[Issue, ...]],
    read: list[Fields],
    max_depth: int,
) -> tuple[Issue, ...]:
    """xml.depth when the tree is deeper than `max_depth`, checked only where it can be.

    The CAP schema bounds a valid alert to 5 levels (alert/info/area/geocode/value) apart from
    its ds:Signature, and the probe walks what it is given, so for one valid alert only the
    signature is walked: the common message pays nothing. Containers and schema-invalid
    documents are walked whole. `read` holds each alert as read; the foreign elements of a valid
    alert are the ones the schema allows at its end.
    """
    if document.container or max_depth < _CAP_DEPTH or any(schema_problems):
        too_deep = safe_xml.deeper_than(root, max_depth)
    else:  # one valid alert: only what the schema leaves open (a ds:Signature) is walked
        too_deep = any(safe_xml.deeper_than(child, max_depth - 1) for child in read[0].foreign)
    return (make_issue("xml.depth", detail=f"> {max_depth}"),) if too_deep else ()


_CAP_DEPTH = 5


def locate_alerts(root: etree._Element) -> AlertDocument:
    if root.tag == _ALERT:
        return AlertDocument((root,), False)
    namespace, local_name = _split(root.tag)
    if namespace in OLDER_CAP_NAMESPACES:
        raise CapError.of("cap.version", line=line_of(root), detail=OLDER_CAP_NAMESPACES[namespace])
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


_new = tuple.__new__


def alert_from_fields(alert: Fields) -> Alert:
    """The Alert of a schema-valid <alert> read into `alert`."""
    text = alert.text
    get = text.get
    # Every field, positionally in the records' order, through tuple.__new__ (skipping the
    # NamedTuple's Python-level __new__ halves the cost); the round-trip property tests catch
    # any field put in the wrong place.
    return _new(
        Alert,
        (
            text["identifier"],
            text["sender"],
            _time(alert, "sent"),
            text["status"],
            text["msgType"],
            text["scope"],
            get("source"),
            get("restriction"),
            get("addresses"),
            alert.all("code"),
            get("note"),
            get("references"),
            get("incidents"),
            tuple([_info(info) for info in alert.blocks.get("info", ())]),
            tuple([etree.tostring(foreign, with_tail=False) for foreign in alert.foreign]),
        ),
    )


def _info(info: Fields) -> Info:
    text, blocks, pairs = info.text, info.blocks, info.pairs
    get = text.get
    return _new(
        Info,
        (
            info.all("category"),
            text["event"],
            text["urgency"],
            text["severity"],
            text["certainty"],
            get("language"),
            info.all("responseType"),
            get("audience"),
            tuple(pairs.get("eventCode", ())),
            _time(info, "effective") if "effective" in text else None,
            _time(info, "onset") if "onset" in text else None,
            _time(info, "expires") if "expires" in text else None,
            get("senderName"),
            get("headline"),
            get("description"),
            get("instruction"),
            get("web"),
            get("contact"),
            tuple(pairs.get("parameter", ())),
            tuple([_resource(resource) for resource in blocks.get("resource", ())]),
            tuple([_area(area) for area in blocks.get("area", ())]),
        ),
    )


def _time(fields: Fields, name: str) -> datetime:
    moment = fields.time(name)
    if moment is None:  # the schema pattern allows ',' as zone sign; fromisoformat does not
        raise CapError.of("cap.time.zone", detail=fields.text[name])
    return moment


def _resource(resource: Fields) -> Resource:
    text = resource.text
    get = text.get
    size = get("size")
    return _new(
        Resource,
        (
            text["resourceDesc"],
            text["mimeType"],
            None if size is None else int(size.strip()),
            get("uri"),
            get("derefUri"),
            get("digest"),
        ),
    )


def _area(area: Fields) -> Area:
    text = area.text
    altitude, ceiling = text.get("altitude"), text.get("ceiling")
    return _new(
        Area,
        (
            text["areaDesc"],
            area.all("polygon"),
            area.all("circle"),
            tuple(area.pairs.get("geocode", ())),
            None if altitude is None else Decimal(altitude.strip()),
            None if ceiling is None else Decimal(ceiling.strip()),
        ),
    )
