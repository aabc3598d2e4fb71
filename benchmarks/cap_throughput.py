"""Throughput of pctt.cap.validate: safe parse + XSD + rules + objects (issue #3's measure).

`msgs_per_s` is `validate(data, verify_signatures=False)`: parse, validate, build objects, the
work the comparison libraries do. XML-DSig verification (RSA/ECDSA, canonicalisation), which
neither of them does, is measured apart as `with_signatures_msgs_per_s` (plain `validate`).
Compared, in the same run on the same messages, with bare lxml parse + compiled-XSD validate
and with capparselib (installed --no-deps into a throwaway directory). Prints one JSON line.
Run: uv run python benchmarks/cap_throughput.py

Rates are per second of CPU time (`time.process_time`), the same clock for every method: on a
machine shared with other work, wall-clock rates mostly measure the neighbours. The methods take
turns pass by pass, so a drift in the machine's speed falls on all of them alike. capparselib
runs in a process of its own (its turn is a request over a pipe): it compiles the XSD for every
message, and sharing a heap with it slowed the methods that ran after it by up to a fifth.
`speedups` says which compiled parts of pctt.cap were in use (pctt.cap.speedups).
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

from pctt.cap import parse, safe_xml, speedups, validate
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


# One pass of a method over its messages: (messages done, CPU seconds spent).
Pass = Callable[[], tuple[int, float]]


def local_pass(work: Callable[[bytes], object], messages: list[bytes]) -> Pass:
    def run() -> tuple[int, float]:
        start = time.process_time()
        for data in messages:
            work(data)
        return len(messages), time.process_time() - start

    return run


def rates(methods: dict[str, Pass]) -> dict[str, float]:
    """Messages per CPU second of each method, over whole passes of its messages.

    The methods take turns, one pass each, until each has run for about SECONDS_PER_METHOD:
    on a machine whose speed drifts (shared cores, frequency changes), every method then sees
    the same drift, and the ratios stay meaningful.
    """
    for run in methods.values():  # warm up (schema compilation, imports)
        run()
    spent = dict.fromkeys(methods, 0.0)
    done = dict.fromkeys(methods, 0)
    while min(spent.values()) < SECONDS_PER_METHOD:
        for name, run in methods.items():
            count, seconds = run()
            spent[name] += seconds
            done[name] += count
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


def capparselib_parser(target: str) -> Callable[[bytes], object]:
    sys.path.insert(0, target)
    parsers: Any = importlib.import_module("capparselib.parsers")

    def run(data: bytes) -> object:
        try:
            parser = parsers.CAPParser(data.decode("utf-8", errors="replace"))
            parser.load()
            return parser.as_dict()
        except Exception:
            return None

    return run


def capparselib_worker(target: str) -> None:
    """The child's side: one pass per line read, answering `count seconds`."""
    run = local_pass(capparselib_parser(target), list(valid_messages().values()))
    for _ in sys.stdin:
        count, seconds = run()
        sys.stdout.write(f"{count} {seconds}\n")
        sys.stdout.flush()


def start_capparselib() -> tuple[Pass | None, str | None]:
    target = tempfile.mkdtemp(prefix="capparselib-")
    command = ["uv", "pip", "install", "--no-deps", "--target", target, "capparselib"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"could not install capparselib: {error}"
    worker = subprocess.Popen(
        [sys.executable, __file__, "--capparselib-worker", target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None
    stdin, stdout = worker.stdin, worker.stdout

    def run() -> tuple[int, float]:
        stdin.write("pass\n")
        stdin.flush()
        count, seconds = stdout.readline().split()
        return int(count), float(seconds)

    return run, None


def main() -> None:
    messages = valid_messages()
    datas = list(messages.values())
    without_big = [data for name, data in messages.items() if name != BIG_FILE]
    capparselib, reason = start_capparselib()
    methods: dict[str, Pass] = {
        "ours": local_pass(check, datas),
        "lxml_xsd": local_pass(bare_lxml_xsd, datas),
        "with_signatures": local_pass(validate, datas),
        # parse = safe parse + XSD + objects, without the extra rules and signature cryptography.
        "parse_only": local_pass(parse, datas),
        "lxml_xsd_touch": local_pass(lxml_xsd_and_touch, datas),
        "ours_without_big": local_pass(check, without_big),
        "lxml_xsd_without_big": local_pass(bare_lxml_xsd, without_big),
    }
    if capparselib:
        methods["capparselib"] = capparselib
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
    result["speedups"] = speedups.status()
    if reason:
        result["capparselib_reason"] = reason
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--capparselib-worker"]:
        capparselib_worker(sys.argv[2])
    else:
        main()
