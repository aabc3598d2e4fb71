"""Atom and RSS feeds of CAP alerts: which messages a feed offers, read safely.

Pure Python on lxml (no Django). An entry either embeds a CAP alert (a "fat" feed, e.g.
Environment Canada) or links to one (an index feed, the WMO / Alert Hub convention).
Bytes are read with `pctt.cap.safe_xml`: no DTD, no entity, no network, a size limit.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from lxml import etree

from pctt.cap import CapError, safe_xml
from pctt.cap.model import CAP12_NS
from pctt.cap.parser import OLDER_CAP_NAMESPACES, locate_alerts

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS1_NS = "http://purl.org/rss/1.0/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CAP_NAMESPACES = frozenset({CAP12_NS, *OLDER_CAP_NAMESPACES})

# How pctt.cap's reasons for refusing bytes read for a feed.
_FEED_CODES = {
    "xml.too_large": "feed.too_large",
    "xml.doctype": "feed.doctype",
    "xml.depth": "feed.syntax",
    "xml.syntax": "feed.syntax",
    "xml.empty": "feed.syntax",
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


class FeedError(Exception):
    """The feed document is unusable; `code` is a stable id (see `messages.MESSAGES`)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # the entry's id (or guid, link, title): names it in reports
    link: str | None  # absolute URL of the linked CAP message
    embedded: bytes | None  # the CAP alert carried inside the entry


@dataclass(frozen=True, slots=True)
class Index:
    kind: Literal["atom", "rss"]
    entries: tuple[Entry, ...]
    # CAP alerts placed outside any entry: foreign markup, which a feed reader must ignore.
    stray_alerts: int = 0


@dataclass(frozen=True, slots=True)
class CapDocument:
    """One CAP message: the bytes to validate and the text to keep."""

    data: bytes
    text: str


def read_index(data: bytes, base_url: str, *, max_bytes: int = safe_xml.DEFAULT_MAX_BYTES) -> Index:
    """The entries of an Atom or RSS (2.0 or 1.0) feed; FeedError when it is not one."""
    try:
        root = safe_xml.load(data, max_bytes=max_bytes)
    except CapError as error:
        code = _FEED_CODES.get(error.rule, "feed.syntax")
        raise FeedError(code, error.issues[0].message_en) from None
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == f"{{{ATOM_NS}}}feed":
        return _atom(root, base_url)
    if tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError("feed.not_a_feed", "<rss> without <channel>")
        return _rss(channel, channel.findall("item"), base_url, link_tag="link")
    if tag == f"{{{RDF_NS}}}RDF":
        items = root.findall(f"{{{RSS1_NS}}}item")
        return _rss(root, items, base_url, link_tag=f"{{{RSS1_NS}}}link")
    raise FeedError("feed.not_a_feed", _describe(tag))


def split_cap(data: bytes, *, max_bytes: int = safe_xml.DEFAULT_MAX_BYTES) -> list[CapDocument]:
    """The CAP messages in `data`: itself, or each alert of a container; raises CapError."""
    root = safe_xml.load(data, max_bytes=max_bytes)
    document = locate_alerts(root)
    if not document.container:
        return [CapDocument(data=data, text=etree.tostring(root, encoding="unicode"))]
    return [_standalone(element) for element in document.alert_elements]


def _atom(root: etree._Element, base_url: str) -> Index:
    entries = root.findall(f"{{{ATOM_NS}}}entry")
    found = []
    for entry in entries:
        key = _text(entry, f"{{{ATOM_NS}}}id") or _text(entry, f"{{{ATOM_NS}}}title")
        link = _atom_link(entry, base_url)
        found.append(Entry(key=key or link or "?", link=link, embedded=_embedded(entry)))
    return Index(kind="atom", entries=tuple(found), stray_alerts=_stray(root, entries))


def _rss(
    channel: etree._Element, items: list[etree._Element], base_url: str, *, link_tag: str
) -> Index:
    found = []
    for item in items:
        link = _rss_link(item, base_url, link_tag)
        key = _text(item, "guid") or link or _text(item, "title") or _text(item, link_tag)
        found.append(Entry(key=key or "?", link=link, embedded=_embedded(item)))
    return Index(kind="rss", entries=tuple(found), stray_alerts=_stray(channel, items))


def _atom_link(entry: etree._Element, base_url: str) -> str | None:
    ranked = []
    for position, link in enumerate(entry.findall(f"{{{ATOM_NS}}}link")):
        href = (link.get("href") or "").strip()
        rel = link.get("rel") or "alternate"
        kind = (link.get("type") or "").lower()
        if not href or rel in ("self", "edit", "replies", "license"):
            continue
        rank = 0 if "cap" in kind else 1 if rel == "alternate" else 2
        ranked.append((rank, position, href))
    return urljoin(base_url, min(ranked)[2]) if ranked else None


def _rss_link(item: etree._Element, base_url: str, link_tag: str) -> str | None:
    for enclosure in item.findall("enclosure"):
        if "cap" in (enclosure.get("type") or "").lower() and enclosure.get("url"):
            return urljoin(base_url, (enclosure.get("url") or "").strip())
    link = _text(item, link_tag)
    return urljoin(base_url, link) if link else None


def _embedded(entry: etree._Element) -> bytes | None:
    for element in entry.iter():
        if _is_cap_alert(element):
            return etree.tostring(_standalone_element(element))
    # Atom content of an XML type may carry the alert escaped as text.
    content = entry.find(f"{{{ATOM_NS}}}content")
    if content is not None and "xml" in (content.get("type") or "") and content.text:
        text = _XML_DECLARATION.sub("", content.text).strip()
        if text.startswith("<") and "alert" in text[:200]:
            return text.encode("utf-8")
    return None


def _stray(container: etree._Element, entries: list[etree._Element]) -> int:
    inside = set(entries)
    return sum(
        1
        for child in container
        if child not in inside
        for element in child.iter()
        if _is_cap_alert(element)
    )


def _is_cap_alert(element: etree._Element) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return False
    namespace, _, local = tag[1:].partition("}")
    return local == "alert" and namespace in CAP_NAMESPACES


def _standalone_element(element: etree._Element) -> etree._Element:
    # A copy keeps the namespaces of its ancestors (Atom, GeoRSS…); drop the unused ones, or
    # the canonical form, hence an XML-DSig digest, no longer matches what was signed.
    alone = copy.deepcopy(element)
    etree.cleanup_namespaces(alone)
    return alone


def _standalone(element: etree._Element) -> CapDocument:
    alone = _standalone_element(element)
    return CapDocument(
        data=etree.tostring(alone, encoding="UTF-8", xml_declaration=True),
        text=etree.tostring(alone, encoding="unicode"),
    )


def _text(parent: etree._Element, tag: str) -> str:
    child = parent.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _describe(tag: str) -> str:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return f"<{local}> ({namespace})"
    return f"<{tag or '?'}>"
