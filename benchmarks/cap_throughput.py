"""Throughput of pctt.cap.validate: safe parse + XSD + rules + objects (issue #3's measure).

`msgs_per_s` is `validate(data, verify_signatures=False)`: parse, validate, build objects, the
work the comparison libraries do. XML-DSig verification (RSA/ECDSA, canonicalisation), which
neither of them does, is measured apart as `with_signatures_msgs_per_s` (plain `validate`).
Compared, in the same run on the same messages, with bare lxml parse + compiled-XSD validate
and with capparselib (installed --no-deps into a throwaway directory). Prints one JSON line.
Run: uv run python benchmarks/cap_throughput.py

Rates are per second of this process's CPU time (`time.process_time`), the same clock for every
method: on a machine shared with other work, wall-clock rates mostly measure the neighbours. The
methods take turns pass by pass, so a drift in the machine's speed falls on all of them alike.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from pctt.cap import parse, safe_xml, validate
from pctt.cap.parser import alert_from_fields, locate_alerts
from pctt.cap.reader import Fields
from pctt.cap.rules import fields_issues
from pctt.cap.schema import cap12_schema, schema_issues
from pctt.cap.signature import SIGNATURE_TAG, SharedDigests, check_signature

CAP_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cap"
BIG_FILE = "wis2box_burkina_faso_41k_vertex_polygon.xml"
SECONDS_PER_METHOD = 3.0


def valid_messages() -> dict[str, bytes]:
    messages = {path.name: path.read_bytes() for path in sorted(CAP_DIR.glob("*.xml"))}
    return {name: data for name, data in messages.items() if validate(data).valid}


def check(data: bytes) -> object:
    """Parse + validate + build objects, without signature cryptography."""
    return validate(data, verify_signatures=False)


def rates(
    methods: dict[str, tuple[Callable[[bytes], object], list[bytes]]],
) -> dict[str, float]:
    """Messages per CPU second of each method, over whole passes of its messages.

    The methods take turns, one pass each, until each has run for about SECONDS_PER_METHOD:
    on a machine whose speed drifts (shared cores, frequency changes), every method then sees
    the same drift, and the ratios stay meaningful.
    """
    for work, messages in methods.values():  # warm up (schema compilation, imports)
        for data in messages:
            work(data)
    spent = dict.fromkeys(methods, 0.0)
    done = dict.fromkeys(methods, 0)
    while min(spent.values()) < SECONDS_PER_METHOD:
        for name, (work, messages) in methods.items():
            start = time.process_time()
            for data in messages:
                work(data)
            spent[name] += time.process_time() - start
            done[name] += len(messages)
    return {name: done[name] / spent[name] for name in methods}


def per_message_ms(work: Callable[[bytes], object], data: bytes, repeat: int = 20) -> float:
    start = time.process_time()
    for _ in range(repeat):
        work(data)
    return (time.process_time() - start) / repeat * 1000


def bare_lxml_xsd(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return cap12_schema().validate(etree.fromstring(data, parser))


def lxml_xsd_and_touch(data: bytes) -> list[tuple[object, object]]:
    """Bare lxml+XSD, then only fetch each element's tag and text into Python.

    The least any reader built on lxml's Python API does to build objects: the floor for
    `msgs_per_s`, measured so the distance to it is known.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    cap12_schema().validate(root)
    return [(element.tag, element.text) for element in root.iter()]


def phases_ms(messages: list[bytes], passes: int = 30) -> dict[str, float]:
    """CPU ms per pass over the messages for each step `validate` takes, measured apart."""
    roots = [safe_xml.load(data, max_depth=None) for data in messages]
    alerts = [element for root in roots for element in locate_alerts(root).alert_elements]
    blocks = [Fields(element, schema_valid=True) for element in alerts]

    def signatures(block: Fields) -> None:
        shared: SharedDigests = {}
        for element in block.foreign:
            if element.tag == SIGNATURE_TAG:
                check_signature(element, shared=shared)

    steps: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "bare_lxml_xsd": (bare_lxml_xsd, messages),
        "safe_parse": (
            lambda data: locate_alerts(safe_xml.load(data, max_depth=None)),
            messages,
        ),
        "xsd": (schema_issues, alerts),
        "read_tree": (lambda element: Fields(element, schema_valid=True), alerts),
        "rules": (lambda block: list(fields_issues(block)), blocks),
        "objects": (alert_from_fields, blocks),
        "signatures": (signatures, blocks),
    }
    result = {}
    for name, (work, items) in steps.items():
        for item in items:
            work(item)
        start = time.process_time()
        for _ in range(passes):
            for item in items:
                work(item)
        result[name] = round((time.process_time() - start) / passes * 1000, 3)
    return result


def load_capparselib() -> tuple[Callable[[bytes], object] | None, str | None]:
    target = tempfile.mkdtemp(prefix="capparselib-")
    command = ["uv", "pip", "install", "--no-deps", "--target", target, "capparselib"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"could not install capparselib: {error}"
    sys.path.insert(0, target)
    parsers: Any = importlib.import_module("capparselib.parsers")

    def run(data: bytes) -> object:
        try:
            parser = parsers.CAPParser(data.decode("utf-8", errors="replace"))
            parser.load()
            return parser.as_dict()
        except Exception:
            return None

    return run, None


def main() -> None:
    messages = valid_messages()
    datas = list(messages.values())
    without_big = [data for name, data in messages.items() if name != BIG_FILE]
    capparselib, reason = load_capparselib()
    methods: dict[str, tuple[Callable[[bytes], object], list[bytes]]] = {
        "ours": (check, datas),
        "lxml_xsd": (bare_lxml_xsd, datas),
        "with_signatures": (validate, datas),
        # parse = safe parse + XSD + objects, without the extra rules and signature cryptography.
        "parse_only": (parse, datas),
        "lxml_xsd_touch": (lxml_xsd_and_touch, datas),
        "ours_without_big": (check, without_big),
        "lxml_xsd_without_big": (bare_lxml_xsd, without_big),
    }
    if capparselib:
        methods["capparselib"] = (capparselib, datas)
    measured = rates(methods)
    ours, lxml_rate = measured["ours"], measured["lxml_xsd"]
    capparselib_rate = measured.get("capparselib")
    result: dict[str, Any] = {
        "messages": len(datas),
        "clock": "process_time, methods interleaved",
        "msgs_per_s": round(ours, 1),
        "lxml_xsd_msgs_per_s": round(lxml_rate, 1),
        "with_signatures_msgs_per_s": round(measured["with_signatures"], 1),
        "parse_only_msgs_per_s": round(measured["parse_only"], 1),
        "capparselib_msgs_per_s": round(capparselib_rate, 1) if capparselib_rate else None,
        "ratio_vs_lxml_xsd": round(ours / lxml_rate, 3),
        "parse_only_ratio_vs_lxml_xsd": round(measured["parse_only"] / lxml_rate, 3),
        "ratio_vs_capparselib": round(ours / capparselib_rate, 1) if capparselib_rate else None,
        "with_signatures_ratio_vs_lxml_xsd": round(measured["with_signatures"] / lxml_rate, 3),
        # lxml+XSD, then each element's tag and text fetched and nothing else: no Python
        # reader on lxml can beat this ratio.
        "lxml_xsd_touch_msgs_per_s": round(measured["lxml_xsd_touch"], 1),
        "lxml_xsd_touch_ratio_vs_lxml_xsd": round(measured["lxml_xsd_touch"] / lxml_rate, 3),
        "without_41k_vertex_file": {
            "msgs_per_s": round(measured["ours_without_big"], 1),
            "lxml_xsd_msgs_per_s": round(measured["lxml_xsd_without_big"], 1),
            "ratio": round(measured["ours_without_big"] / measured["lxml_xsd_without_big"], 3),
        },
        "41k_vertex_file_ms": {
            "pctt": round(per_message_ms(check, messages[BIG_FILE]), 2),
            "lxml_xsd": round(per_message_ms(bare_lxml_xsd, messages[BIG_FILE]), 2),
        },
    }
    result["phases_ms_per_pass"] = phases_ms(datas)
    if reason:
        result["capparselib_reason"] = reason
    print(json.dumps(result))


if __name__ == "__main__":
    main()
