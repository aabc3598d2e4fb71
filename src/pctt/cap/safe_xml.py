"""Turn untrusted bytes into an lxml tree, or fail fast with a CapError.

Safety is by construction rather than by filtering entity content: the size is checked before
any parsing, a DOCTYPE is refused before libxml2 sees the document (so no entity, internal or
external, is ever declared, let alone expanded), the parser never touches the network or a DTD,
XInclude is never processed (lxml only does so when asked), and libxml2's own limits stay on
(`huge_tree=False`).
"""

from __future__ import annotations

import codecs
import re
import threading
from typing import Any

from lxml import etree

from pctt.cap.issues import CapError

DEFAULT_MAX_BYTES = 5_000_000
# CAP itself nests 5 deep (alert/info/area/geocode/value); an XML-DSig adds about 6 more.
DEFAULT_MAX_DEPTH = 32

# Anything that may come before the root element: whitespace, PIs, comments.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)

_local = threading.local()


def safe_parser() -> etree.XMLParser:
    """This thread's hardened parser (lxml parsers must not be shared between threads)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def load(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int | None = DEFAULT_MAX_DEPTH,
) -> etree._Element:
    """Parse `data` safely and return the root element (its tree keeps top-level PIs).

    `max_depth=None` leaves the depth to the caller (`deeper_than`): the validator checks it
    only where the CAP schema does not already bound it, since the check walks the whole tree.
    libxml2's own limit (256 levels) still holds.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("pctt.cap reads bytes; encode text first or read the file in binary")
    if len(data) > max_bytes:
        raise CapError.of("xml.too_large", detail=f"{len(data):,} > {max_bytes:,} bytes")
    data = bytes(data)  # no copy when it already is bytes
    if data.isspace() or not data:
        raise CapError.of("xml.empty")
    # Most messages start plainly; for them one regex answers both questions below.
    plain = _PLAIN_HEAD.match(data) is not None
    if not plain and _has_doctype(data):
        raise CapError.of("xml.doctype")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        rule = "xml.depth" if "depth" in str(error).lower() else "xml.syntax"
        raise CapError.of(rule, line=error.lineno, detail=error.msg) from None
    except (etree.LxmlError, ValueError, LookupError, UnicodeError) as error:
        raise CapError.of("xml.syntax", detail=str(error)) from None
    # A DOCTYPE in an encoding the byte scan cannot read (UTF-16 without BOM, UTF-32, EBCDIC,
    # UTF-7) still reached the parser; nothing was resolved, but refuse it just the same.
    if not plain and not _scan_was_exact(data):
        docinfo: Any = root.getroottree().docinfo
        if docinfo.doctype:
            raise CapError.of("xml.doctype")
    if max_depth is not None and deeper_than(root, max_depth):
        raise CapError.of("xml.depth", detail=f"> {max_depth}")
    return root


# How most messages start: an optional UTF-8 BOM, an optional XML 1.0 declaration naming UTF-8 or
# no encoding, then blanks, comments and PIs, then the root element's start tag. Such bytes are
# read by libxml2 as the byte scan reads them (UTF-8), and hold no DOCTYPE, which may only come
# before the root element; one match answers both checks. A letter after '<' excludes '<!' and
# '<?' and UTF-16 without BOM ('<' then NUL); a second XML declaration is not taken for a PI.
# Possessive quantifiers never backtrack: 5 MB of blanks or an unclosed comment fail in linear
# time (tens of milliseconds), and `_has_doctype` then judges as before.
_PLAIN_HEAD = re.compile(
    rb"""
    (?:\xef\xbb\xbf)?
    (?:<\?xml [ \t\r\n]+ version [ \t\r\n]*=[ \t\r\n]* (?:"1\.0"|'1\.0')
        (?:[ \t\r\n]+ encoding [ \t\r\n]*=[ \t\r\n]* (?:"(?i:utf-8)"|'(?i:utf-8)'))?
        (?:[ \t\r\n]+ standalone [ \t\r\n]*=[ \t\r\n]* (?:"(?:yes|no)"|'(?:yes|no)'))?
        [ \t\r\n]* \?>)?
    (?:[ \t\r\n]++
        | <\?(?![xX][mM][lL][ \t\r\n?])[A-Za-z_][^?]*+(?:\?(?!>)[^?]*+)*+\?>
        | <!--(?:[^-]++|-(?!-))*+-->
    )*+
    <[A-Za-z_]
    """,
    re.VERBOSE,
)


def _has_doctype(data: bytes) -> bool:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            head = data[len(bom) : 65536].decode(codec, errors="replace")
            return _has_doctype(head.encode("ascii", errors="replace"))
    # Scan the prolog in place (no copy of a multi-megabyte input).
    position = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    prolog = _PROLOG.match(data, position)
    return data.startswith(b"<!DOCTYPE", prolog.end() if prolog else position)


# Encodings in which "<!DOCTYPE" can only be written as those ASCII bytes.
_ASCII_SAFE_ENCODINGS = frozenset(
    (
        "utf-8",
        "utf8",
        "us-ascii",
        "ascii",
        *(f"iso-8859-{n}" for n in range(1, 17)),
        *(f"windows-{n}" for n in range(1250, 1259)),
    )
)
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})")


def _scan_was_exact(data: bytes) -> bool:
    """Whether `_has_doctype` read `data` as the parser did: UTF-8 (BOM or not) or a declared
    ASCII-compatible single-byte encoding, starting with '<' (no UTF-16/32 or EBCDIC)."""
    start = 3 if data.startswith(codecs.BOM_UTF8) else 0
    if data[start : start + 1] != b"<" or data[start + 1 : start + 2] == b"\0":
        return False
    if not data.startswith(b"<?xml", start):
        return True  # no declaration: UTF-8
    declared = _DECLARED_ENCODING.match(data, start)
    if declared is None:
        return b"encoding" not in data[start : data.find(b"?>", start)]
    return declared.group(1).decode("ascii").lower() in _ASCII_SAFE_ENCODINGS


def deeper_than(element: etree._Element, max_depth: int) -> bool:
    """Whether the subtree of `element` reaches below `max_depth` levels (element itself = 1).

    For the root, that is the depth of the whole document.
    """
    probes: dict[int, etree.XPath] | None = getattr(_local, "depth_probes", None)
    if probes is None:
        probes = _local.depth_probes = {}
    probe = probes.get(max_depth)
    if probe is None:
        # Is there an element max_depth levels below? Evaluated inside libxml2, no Python walk.
        probe = probes[max_depth] = etree.XPath("boolean(" + "/".join("*" * max_depth) + ")")
    return bool(probe(element))
