"""CAP 1.2 rules the XSD cannot express, and Google/WMO profile advice, on an <alert> element.

Written against the element tree (not the objects) so every issue carries a line number, and so
they also run on schema-invalid documents, where objects cannot be built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from pctt.cap.geometry import GeometryError, check_polygon, parse_circle
from pctt.cap.issues import Issue, line_of, make_issue
from pctt.cap.parser import fields_of
from pctt.cap.times import parse_cap_time

_FORBIDDEN_ID_CHARS = re.compile(r"[\s,<&]")
HEADLINE_LIMIT = 160


Fields = dict[str, list[etree._Element]]


def _children(fields: Fields, name: str) -> list[etree._Element]:
    return fields.get(name, [])


def _child(fields: Fields, name: str) -> etree._Element | None:
    found = fields.get(name)
    return found[0] if found else None


def _text(fields: Fields, name: str) -> str:
    found = fields.get(name)
    return (found[0].text or "") if found else ""


def alert_issues(alert: etree._Element) -> Iterator[Issue]:
    fields = fields_of(alert)
    yield from _identity_issues(fields)
    yield from _scope_issues(alert, fields)
    yield from _reference_issues(alert, fields)
    infos = _children(fields, "info")
    # A Cancel or Ack legitimately has no info; an Alert without one tells the public nothing.
    if not infos and _text(fields, "msgType") in ("Alert", "Update"):
        yield make_issue("profile.info.missing", line_of(alert))
    for info in infos:
        info_fields = fields_of(info)
        yield from _time_issues(info_fields)
        yield from _area_issues(info_fields)
        yield from _profile_issues(info, info_fields)


def _identity_issues(fields: Fields) -> Iterator[Issue]:
    for name, rule in (("identifier", "cap.identifier.chars"), ("sender", "cap.sender.chars")):
        element = _child(fields, name)
        if element is not None and _FORBIDDEN_ID_CHARS.search(element.text or ""):
            yield make_issue(rule, line_of(element), repr(element.text))
    sent = _child(fields, "sent")
    if sent is not None and parse_cap_time(sent.text or "") is None:
        yield make_issue("cap.time.zone", line_of(sent), sent.text)


def _scope_issues(alert: etree._Element, fields: Fields) -> Iterator[Issue]:
    scope = _text(fields, "scope")
    for needed_by, name, rule in (
        ("Restricted", "restriction", "cap.restriction.missing"),
        ("Private", "addresses", "cap.addresses.missing"),
    ):
        if scope == needed_by and not _text(fields, name).strip():
            yield make_issue(rule, line_of(alert))


def _reference_issues(alert: etree._Element, fields: Fields) -> Iterator[Issue]:
    if _text(fields, "msgType") not in ("Update", "Cancel"):
        return
    element = _child(fields, "references")
    triples = (element.text or "").split() if element is not None else []
    if not triples:
        line = line_of(element) if element is not None else line_of(alert)
        yield make_issue("cap.references.missing", line)
        return
    assert element is not None
    for triple in triples:
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts) or parse_cap_time(parts[2]) is None:
            yield make_issue("cap.references.format", line_of(element), triple)


def _time_issues(info: Fields) -> Iterator[Issue]:
    moments = {}
    for name in ("effective", "onset", "expires"):
        element = _child(info, name)
        if element is None:
            continue
        moment = parse_cap_time(element.text or "")
        if moment is None:
            yield make_issue("cap.time.zone", line_of(element), element.text)
        else:
            moments[name] = (moment, line_of(element))
    if "expires" in moments:
        expires, line = moments["expires"]
        for name in ("effective", "onset"):
            if name in moments and moments[name][0] > expires:
                yield make_issue(
                    "cap.expires.order", line, f"{name} {moments[name][0]} > {expires}"
                )


def _area_issues(info: Fields) -> Iterator[Issue]:
    for area_element in _children(info, "area"):
        area = fields_of(area_element)
        for polygon in _children(area, "polygon"):
            try:
                check_polygon(polygon.text or "")
            except GeometryError as error:
                yield make_issue(error.rule, line_of(polygon), error.detail)
        for circle in _children(area, "circle"):
            try:
                parse_circle(circle.text or "")
            except GeometryError as error:
                yield make_issue(error.rule, line_of(circle), error.detail)


def _profile_issues(element: etree._Element, info: Fields) -> Iterator[Issue]:
    headline = _child(info, "headline")
    if headline is None:
        yield make_issue("profile.headline.missing", line_of(element))
    elif len(headline.text or "") > HEADLINE_LIMIT:
        yield make_issue("profile.headline.length", line_of(headline), len(headline.text or ""))
    if _child(info, "description") is None:
        yield make_issue("profile.description.missing", line_of(element))
    for name in ("urgency", "severity", "certainty"):
        value = _child(info, name)
        if value is not None and value.text == "Unknown":
            yield make_issue(f"profile.{name}.unknown", line_of(value))
    if _child(info, "expires") is None:
        yield make_issue("profile.expires.missing", line_of(element))
    if not _children(info, "area"):
        yield make_issue("profile.area.missing", line_of(element))
