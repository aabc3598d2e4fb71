"""Bytes → CAP 1.2 `Alert` objects.

`parse` accepts what the OASIS schema accepts; the rules the schema cannot express, and
signatures, are checked by `pctt.cap.validator.validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

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

T = TypeVar("T")


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


def _text(element: etree._Element) -> str:
    return element.text or ""


def _optional(
    fields: dict[str, list[etree._Element]],
    name: str,
    convert: Callable[[str], T],
) -> T | None:
    found = fields.get(name)
    return convert(_text(found[0])) if found else None


def _required(fields: dict[str, list[etree._Element]], name: str) -> str:
    return _text(fields[name][0])


def _all_text(fields: dict[str, list[etree._Element]], name: str) -> tuple[str, ...]:
    return tuple(_text(element) for element in fields.get(name, ()))


def _str(text: str) -> str:
    return text


def _time(text: str) -> datetime:
    moment = parse_cap_time(text)
    if moment is None:  # the schema pattern allows ',' as zone sign; fromisoformat does not
        raise CapError.of("cap.time.zone", detail=text)
    return moment


def _decimal(text: str) -> Decimal:
    return Decimal(text.strip())


def _int(text: str) -> int:
    return int(text.strip())


def _pairs(fields: dict[str, list[etree._Element]], name: str) -> tuple[ValuePair, ...]:
    pairs = []
    for element in fields.get(name, ()):
        if len(element) == 2:  # schema-valid and no comment: valueName, value in that order
            value_name, value = element
            pairs.append(ValuePair(value_name.text or "", value.text or ""))
        else:
            inner = fields_of(element)
            pairs.append(ValuePair(_required(inner, "valueName"), _required(inner, "value")))
    return tuple(pairs)


def build_alert(element: etree._Element) -> Alert:
    fields = fields_of(element)
    return Alert(
        identifier=_required(fields, "identifier"),
        sender=_required(fields, "sender"),
        sent=_time(_required(fields, "sent")),
        status=_required(fields, "status"),
        msg_type=_required(fields, "msgType"),
        scope=_required(fields, "scope"),
        source=_optional(fields, "source", _str),
        restriction=_optional(fields, "restriction", _str),
        addresses=_optional(fields, "addresses", _str),
        codes=_all_text(fields, "code"),
        note=_optional(fields, "note", _str),
        references=_optional(fields, "references", _str),
        incidents=_optional(fields, "incidents", _str),
        infos=tuple(_build_info(info) for info in fields.get("info", ())),
        foreign_elements=tuple(
            etree.tostring(foreign, with_tail=False) for foreign in fields.get("", ())
        ),
    )


def _build_info(element: etree._Element) -> Info:
    fields = fields_of(element)
    return Info(
        language=_optional(fields, "language", _str),
        categories=_all_text(fields, "category"),
        event=_required(fields, "event"),
        response_types=_all_text(fields, "responseType"),
        urgency=_required(fields, "urgency"),
        severity=_required(fields, "severity"),
        certainty=_required(fields, "certainty"),
        audience=_optional(fields, "audience", _str),
        event_codes=_pairs(fields, "eventCode"),
        effective=_optional(fields, "effective", _time),
        onset=_optional(fields, "onset", _time),
        expires=_optional(fields, "expires", _time),
        sender_name=_optional(fields, "senderName", _str),
        headline=_optional(fields, "headline", _str),
        description=_optional(fields, "description", _str),
        instruction=_optional(fields, "instruction", _str),
        web=_optional(fields, "web", _str),
        contact=_optional(fields, "contact", _str),
        parameters=_pairs(fields, "parameter"),
        resources=tuple(_build_resource(r) for r in fields.get("resource", ())),
        areas=tuple(_build_area(a) for a in fields.get("area", ())),
    )


def _build_resource(element: etree._Element) -> Resource:
    fields = fields_of(element)
    return Resource(
        resource_desc=_required(fields, "resourceDesc"),
        mime_type=_required(fields, "mimeType"),
        size=_optional(fields, "size", _int),
        uri=_optional(fields, "uri", _str),
        deref_uri=_optional(fields, "derefUri", _str),
        digest=_optional(fields, "digest", _str),
    )


def _build_area(element: etree._Element) -> Area:
    fields = fields_of(element)
    return Area(
        area_desc=_required(fields, "areaDesc"),
        polygons=_all_text(fields, "polygon"),
        circles=_all_text(fields, "circle"),
        geocodes=_pairs(fields, "geocode"),
        altitude=_optional(fields, "altitude", _decimal),
        ceiling=_optional(fields, "ceiling", _decimal),
    )
