"""CAP 1.2 rules the XSD cannot express, and Google/WMO profile advice, on an <alert> element.

Written against the element tree as read by `pctt.cap.parser.Block` (not the objects) so every
issue carries a line number, and so they also run on schema-invalid documents, where objects
cannot be built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from pctt.cap.geometry import GeometryError, check_polygon, parse_circle
from pctt.cap.issues import Issue, make_issue
from pctt.cap.parser import Block
from pctt.cap.times import parse_cap_time

_FORBIDDEN_ID_CHARS = re.compile(r"[\s,<&]")
HEADLINE_LIMIT = 160


def alert_issues(alert: etree._Element) -> Iterator[Issue]:
    return block_issues(Block(alert))


def block_issues(alert: Block) -> Iterator[Issue]:
    """Issues of an <alert> already read into a Block."""
    yield from _identity_issues(alert)
    yield from _scope_issues(alert)
    yield from _reference_issues(alert)
    infos = alert.blocks.get("info", ())
    # A Cancel or Ack legitimately has no info; an Alert without one tells the public nothing.
    if not infos and alert.first.get("msgType") in ("Alert", "Update"):
        yield make_issue("profile.info.missing", alert.line())
    for info in infos:
        yield from _time_issues(info)
        yield from _area_issues(info)
        yield from _profile_issues(info)


def _identity_issues(alert: Block) -> Iterator[Issue]:
    for name, rule in (("identifier", "cap.identifier.chars"), ("sender", "cap.sender.chars")):
        text = alert.first.get(name)
        if text is not None and _FORBIDDEN_ID_CHARS.search(text):
            yield make_issue(rule, alert.line(name), repr(text))
    sent = alert.first.get("sent")
    if sent is not None and alert.time("sent") is None:
        yield make_issue("cap.time.zone", alert.line("sent"), sent)


def _scope_issues(alert: Block) -> Iterator[Issue]:
    scope = alert.first.get("scope")
    for needed_by, name, rule in (
        ("Restricted", "restriction", "cap.restriction.missing"),
        ("Private", "addresses", "cap.addresses.missing"),
    ):
        if scope == needed_by and not alert.first.get(name, "").strip():
            yield make_issue(rule, alert.line())


def _reference_issues(alert: Block) -> Iterator[Issue]:
    if alert.first.get("msgType") not in ("Update", "Cancel"):
        return
    text = alert.first.get("references")
    triples = text.split() if text is not None else []
    if not triples:
        yield make_issue(
            "cap.references.missing", alert.line("references" if text is not None else "")
        )
        return
    for triple in triples:
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts) or parse_cap_time(parts[2]) is None:
            yield make_issue("cap.references.format", alert.line("references"), triple)


def _time_issues(info: Block) -> Iterator[Issue]:
    moments = {}
    for name in ("effective", "onset", "expires"):
        text = info.first.get(name)
        if text is None:
            continue
        moment = info.time(name)
        if moment is None:
            yield make_issue("cap.time.zone", info.line(name), text)
        else:
            moments[name] = moment
    if "expires" in moments:
        expires = moments["expires"]
        for name in ("effective", "onset"):
            if name in moments and moments[name] > expires:
                yield make_issue(
                    "cap.expires.order", info.line("expires"), f"{name} {moments[name]} > {expires}"
                )


def _area_issues(info: Block) -> Iterator[Issue]:
    for area in info.blocks.get("area", ()):
        for index, polygon in enumerate(area.texts.get("polygon", ())):
            try:
                check_polygon(polygon)
            except GeometryError as error:
                yield make_issue(error.rule, area.line("polygon", index), error.detail)
        for index, circle in enumerate(area.texts.get("circle", ())):
            try:
                parse_circle(circle)
            except GeometryError as error:
                yield make_issue(error.rule, area.line("circle", index), error.detail)


def _profile_issues(info: Block) -> Iterator[Issue]:
    headline = info.first.get("headline")
    if headline is None:
        yield make_issue("profile.headline.missing", info.line())
    elif len(headline) > HEADLINE_LIMIT:
        yield make_issue("profile.headline.length", info.line("headline"), len(headline))
    if info.first.get("description") is None:
        yield make_issue("profile.description.missing", info.line())
    for name in ("urgency", "severity", "certainty"):
        if info.first.get(name) == "Unknown":
            yield make_issue(f"profile.{name}.unknown", info.line(name))
    if info.first.get("expires") is None:
        yield make_issue("profile.expires.missing", info.line())
    if not info.blocks.get("area"):
        yield make_issue("profile.area.missing", info.line())
