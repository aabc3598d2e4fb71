"""The OASIS CAP 1.2 XSD (vendored in ./schema), compiled once per process on first use."""

from __future__ import annotations

import functools
import threading
from importlib import resources
from typing import Any

from lxml import etree

from pctt.cap.issues import Issue, make_issue

# XMLSchema keeps the last run's error log on the object, so runs must not interleave.
_lock = threading.Lock()


@functools.cache
def cap12_schema() -> etree.XMLSchema:
    source = resources.files("pctt.cap").joinpath("schema").joinpath("CAP-v1.2.xsd").read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(source, parser))


def schema_issues(alert_element: etree._Element) -> tuple[Issue, ...]:
    """XSD errors for one `alert` element (a whole document or a child of a container)."""
    schema = cap12_schema()
    with _lock:
        if schema.validate(alert_element):
            return ()
        log: Any = schema.error_log  # lxml-stubs: _ErrorLog is iterable at run time
        entries = [(entry.line, entry.message) for entry in log]
    return tuple(make_issue("cap.xsd", line=line or None, detail=text) for line, text in entries)
