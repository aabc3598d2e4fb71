"""CAP 1.2 rules the XSD cannot express, and Google/WMO profile advice, on an <alert> element.

Written against the element tree as read by `pctt.cap.reader.Fields` (not the objects) so every
issue carries a line number, and so they also run on schema-invalid documents, where objects
cannot be built.
"""

from __future__ import annotations

import re

from lxml import etree

from pctt.cap.geometry import GeometryError, check_circle, check_polygon
from pctt.cap.issues import Issue, make_issue
from pctt.cap.reader import Fields
from pctt.cap.times import parse_cap_time

_FORBIDDEN_ID_CHARS = re.compile(r"[\s,<&]")
HEADLINE_LIMIT = 160


def alert_issues(alert: etree._Element) -> list[Issue]:
    return fields_issues(Fields(alert))


def fields_issues(alert: Fields) -> list[Issue]:
    """Issues of an <alert> already read (an empty list for most messages)."""
    found: list[Issue] = []
    text = alert.text
    _identity_issues(alert, found)
    # Each group of rules is entered only when its fields are there: most messages break none,
    # and this runs for every message read.
    if text.get("scope") in ("Restricted", "Private"):
        _scope_issues(alert, found)
    msg_type = text.get("msgType")
    if msg_type in ("Update", "Cancel"):
        _reference_issues(alert, found)
    infos = alert.blocks.get("info", ())
    # A Cancel or Ack legitimately has no info; an Alert without one tells the public nothing.
    if not infos and msg_type in ("Alert", "Update"):
        found.append(make_issue("profile.info.missing", alert.line()))
    for info in infos:
        fields = info.text
        if "effective" in fields or "onset" in fields or "expires" in fields:
            _time_issues(info, found)
        if "area" in info.blocks:
            _area_issues(info, found)
        headline = fields.get("headline")
        if (
            headline is None
            or len(headline) > HEADLINE_LIMIT
            or "description" not in fields
            or "expires" not in fields
            or "area" not in info.blocks
            or "Unknown" in (fields.get("urgency"), fields.get("severity"), fields.get("certainty"))
        ):
            _profile_issues(info, found)
    return found


def _identity_issues(alert: Fields, found: list[Issue]) -> None:
    for name, rule in (("identifier", "cap.identifier.chars"), ("sender", "cap.sender.chars")):
        text = alert.text.get(name)
        if text is not None and _FORBIDDEN_ID_CHARS.search(text):
            found.append(make_issue(rule, alert.line(name), repr(text)))
    sent = alert.text.get("sent")
    if sent is not None and alert.time("sent") is None:
        found.append(make_issue("cap.time.zone", alert.line("sent"), sent))


def _scope_issues(alert: Fields, found: list[Issue]) -> None:
    scope = alert.text.get("scope")
    if scope == "Restricted" and not alert.text.get("restriction", "").strip():
        found.append(make_issue("cap.restriction.missing", alert.line()))
    elif scope == "Private" and not alert.text.get("addresses", "").strip():
        found.append(make_issue("cap.addresses.missing", alert.line()))


def _reference_issues(alert: Fields, found: list[Issue]) -> None:
    text = alert.text.get("references")
    triples = text.split() if text is not None else []
    if not triples:
        line = alert.line("references" if text is not None else "")
        found.append(make_issue("cap.references.missing", line))
        return
    for triple in triples:
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts) or parse_cap_time(parts[2]) is None:
            found.append(make_issue("cap.references.format", alert.line("references"), triple))


def _time_issues(info: Fields, found: list[Issue]) -> None:
    text = info.text
    moments = {}
    for name in ("effective", "onset", "expires"):
        if name not in text:
            continue
        moment = info.time(name)
        if moment is None:
            found.append(make_issue("cap.time.zone", info.line(name), text[name]))
        else:
            moments[name] = moment
    expires = moments.get("expires")
    if expires is None:
        return
    for name in ("effective", "onset"):
        if name in moments and moments[name] > expires:
            detail = f"{name} {moments[name]} > {expires}"
            found.append(make_issue("cap.expires.order", info.line("expires"), detail))


def _area_issues(info: Fields, found: list[Issue]) -> None:
    for area in info.blocks.get("area", ()):
        for index, polygon in enumerate(area.all("polygon")):
            try:
                check_polygon(polygon)
            except GeometryError as error:
                found.append(make_issue(error.rule, area.line("polygon", index), error.detail))
        for index, circle in enumerate(area.all("circle")):
            try:
                check_circle(circle)
            except GeometryError as error:
                found.append(make_issue(error.rule, area.line("circle", index), error.detail))


def _profile_issues(info: Fields, found: list[Issue]) -> None:
    text = info.text
    headline = text.get("headline")
    if headline is None:
        found.append(make_issue("profile.headline.missing", info.line()))
    elif len(headline) > HEADLINE_LIMIT:
        found.append(make_issue("profile.headline.length", info.line("headline"), len(headline)))
    if "description" not in text:
        found.append(make_issue("profile.description.missing", info.line()))
    for name in ("urgency", "severity", "certainty"):
        if text.get(name) == "Unknown":
            found.append(make_issue(f"profile.{name}.unknown", info.line(name)))
    if "expires" not in text:
        found.append(make_issue("profile.expires.missing", info.line()))
    if "area" not in info.blocks:
        found.append(make_issue("profile.area.missing", info.line()))
