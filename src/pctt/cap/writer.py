"""CAP 1.2 `Alert` → canonical XML bytes (UTF-8, default namespace, schema element order)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from pctt.cap.model import CAP12_NS, Alert, Area, Info, Resource, ValuePair
from pctt.cap.safe_xml import safe_parser
from pctt.cap.times import format_cap_time


def to_xml(alert: Alert) -> bytes:
    """UTF-8 CAP 1.2 with declaration; ValueError for a naive datetime or non-XML characters."""
    default_namespace: Any = {None: CAP12_NS}  # lxml-stubs rejects the None prefix
    root = etree.Element(_tag("alert"), nsmap=default_namespace)
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", alert.sent)
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", alert.addresses)
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", alert.references)
    _add(root, "incidents", alert.incidents)
    for info in alert.infos:
        _add_info(root, info)
    # Indent our own elements only: a signature must keep its bytes.
    etree.indent(root, space="  ")
    for foreign in alert.foreign_elements:
        root[-1].tail = "\n  " if len(root) else None
        element = etree.fromstring(foreign, safe_parser())
        element.tail = "\n"
        root.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _tag(name: str) -> str:
    return f"{{{CAP12_NS}}}{name}"


def _add(parent: etree._Element, name: str, value: str | datetime | Decimal | int | None) -> None:
    if value is None:
        return
    element = etree.SubElement(parent, _tag(name))
    if isinstance(value, datetime):
        element.text = format_cap_time(value)
    elif isinstance(value, Decimal):
        element.text = format(value, "f")  # xs:decimal has no exponent form
    else:
        element.text = str(value)


def _add_pair(parent: etree._Element, name: str, pair: ValuePair) -> None:
    element = etree.SubElement(parent, _tag(name))
    _add(element, "valueName", pair.value_name)
    _add(element, "value", pair.value)


def _add_info(parent: etree._Element, info: Info) -> None:
    element = etree.SubElement(parent, _tag("info"))
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category)
    _add(element, "event", info.event)
    for response_type in info.response_types:
        _add(element, "responseType", response_type)
    _add(element, "urgency", info.urgency)
    _add(element, "severity", info.severity)
    _add(element, "certainty", info.certainty)
    _add(element, "audience", info.audience)
    for event_code in info.event_codes:
        _add_pair(element, "eventCode", event_code)
    _add(element, "effective", info.effective)
    _add(element, "onset", info.onset)
    _add(element, "expires", info.expires)
    _add(element, "senderName", info.sender_name)
    _add(element, "headline", info.headline)
    _add(element, "description", info.description)
    _add(element, "instruction", info.instruction)
    _add(element, "web", info.web)
    _add(element, "contact", info.contact)
    for parameter in info.parameters:
        _add_pair(element, "parameter", parameter)
    for resource in info.resources:
        _add_resource(element, resource)
    for area in info.areas:
        _add_area(element, area)


def _add_resource(parent: etree._Element, resource: Resource) -> None:
    element = etree.SubElement(parent, _tag("resource"))
    _add(element, "resourceDesc", resource.resource_desc)
    _add(element, "mimeType", resource.mime_type)
    _add(element, "size", resource.size)
    _add(element, "uri", resource.uri)
    _add(element, "derefUri", resource.deref_uri)
    _add(element, "digest", resource.digest)


def _add_area(parent: etree._Element, area: Area) -> None:
    element = etree.SubElement(parent, _tag("area"))
    _add(element, "areaDesc", area.area_desc)
    for polygon in area.polygons:
        _add(element, "polygon", polygon)
    for circle in area.circles:
        _add(element, "circle", circle)
    for geocode in area.geocodes:
        _add_pair(element, "geocode", geocode)
    _add(element, "altitude", area.altitude)
    _add(element, "ceiling", area.ceiling)
