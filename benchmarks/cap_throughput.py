"""Throughput of pctt.cap.validate: safe parse + XSD + rules + objects (issue #3's measure).

`msgs_per_s` is `validate(data, verify_signatures=False)`: parse, validate, build objects, the
work the comparison libraries do. XML-DSig verification (RSA/ECDSA, canonicalisation), which
neither of them does, is measured apart as `with_signatures_msgs_per_s` (plain `validate`).
Compared, in the same run on the same messages, with bare lxml parse + compiled-XSD validate
and with capparselib (installed --no-deps into a throwaway directory). Prints one JSON line.
Run: uv run python benchmarks/cap_throughput.py

Rates are per second of CPU time (`time.process_time`), the same clock for every method: on a
machine shared with other work, wall-clock rates mostly measure the neighbours. Each ratio comes
from its own two methods taking turns pass by pass (`duel`), so a drift in the machine's speed
falls on both alike and no third method disturbs them. capparselib runs in a process of its own
(its turn is a request over a pipe): it compiles the XSD for every message, and sharing a heap
with it slowed the method that ran after it by up to a fifth.
`pure_python_*` is the same work with pctt.cap's compiled parts switched off (a site without a
C compiler); `speedups` says which compiled parts were in use (pctt.cap.speedups).
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

from pctt.cap import geometry, parse, reader, safe_xml, speedups, validate
from pctt.cap.parser import alert_from_fields, locate_alerts
from pctt.cap.reader import Fields
from pctt.cap.rules import fields_issues
from pctt.cap.schema import cap12_schema, schema_issues
from pctt.cap.signature import SIGNATURE_TAG, SharedDigests, check_signature

CAP_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cap"
BIG_FILE = "wis2box_burkina_faso_41k_vertex_polygon.xml"
SECONDS_PER_METHOD = 2.0
TURN_SECONDS = 0.02


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

    The methods take turns of whole passes, until each has run for about SECONDS_PER_METHOD:
    on a machine whose speed drifts (shared cores, frequency changes), every method then sees
    the same drift, and the ratios stay meaningful.
    """
    for run in methods.values():  # warm up (schema compilation, imports)
        run()
    spent = dict.fromkeys(methods, 0.0)
    done = dict.fromkeys(methods, 0)
    while min(spent.values()) < SECONDS_PER_METHOD:
        for name, run in methods.items():
            # A turn is whole passes lasting at least TURN_SECONDS: a turn's first pass runs on
            # caches the other method left, and a turn of one short pass measured mostly that.
            turn = 0.0
            while turn < TURN_SECONDS:
                count, seconds = run()
                turn += seconds
                done[name] += count
            spent[name] += turn
    return {name: done[name] / spent[name] for name in methods}


def per_message_ms(work: Callable[[bytes], object], data: bytes, repeat: int = 20) -> float:
    start = time.process_time()
    for _ in range(repeat):
        work(data)
    return (time.process_time() - start) / repeat * 1000


def bare_lxml_xsd(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return cap12_schema().validate(etree.fromstring(data, parser))


_REUSED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def bare_lxml_xsd_reused_parser(data: bytes) -> bool:
    """Bare lxml+XSD with one parser for every message: the least lxml can do per message."""
    return cap12_schema().validate(etree.fromstring(data, _REUSED_PARSER))


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


def pure_python(run: Pass) -> Pass:
    """`run` with pctt.cap's compiled parts switched off: the Python twins alone."""

    def run_without_speedups() -> tuple[int, float]:
        reader_was = reader.use_compiled_reader(False)
        polygon_was = geometry.use_compiled_polygon_check(False)
        try:
            return run()
        finally:
            reader.use_compiled_reader(reader_was)
            geometry.use_compiled_polygon_check(polygon_was)

    return run_without_speedups


def duel(method: Pass, reference: Pass) -> tuple[float, float, float]:
    """(rate of method, rate of reference, ratio), the two taking turns and nothing else.

    Each ratio is measured between its own two methods: a third method in the same rotation
    (capparselib compiling the XSD per message, RSA verification) changes the caches and the
    heap the next one starts with, and moved the headline ratio by up to a tenth.
    """
    measured = rates({"method": method, "reference": reference})
    return measured["method"], measured["reference"], measured["method"] / measured["reference"]


def main() -> None:
    messages = valid_messages()
    datas = list(messages.values())
    without_big = [data for name, data in messages.items() if name != BIG_FILE]
    capparselib, reason = start_capparselib()
    ours, lxml_xsd = local_pass(check, datas), local_pass(bare_lxml_xsd, datas)
    ours_rate, lxml_rate, ratio = duel(ours, lxml_xsd)
    result: dict[str, Any] = {
        "messages": len(datas),
        "clock": "process_time; each ratio from its two methods taking turns",
        "msgs_per_s": round(ours_rate, 1),
        "lxml_xsd_msgs_per_s": round(lxml_rate, 1),
        "ratio_vs_lxml_xsd": round(ratio, 3),
    }
    # The stricter reference: bare lxml+XSD without even a parser made per message.
    _, reused_rate, ratio = duel(ours, local_pass(bare_lxml_xsd_reused_parser, datas))
    result["lxml_xsd_reused_parser_msgs_per_s"] = round(reused_rate, 1)
    result["ratio_vs_lxml_xsd_reused_parser"] = round(ratio, 3)
    if capparselib:
        ours_again, capparselib_rate, ratio = duel(ours, capparselib)
        result["capparselib_msgs_per_s"] = round(capparselib_rate, 1)
        result["ratio_vs_capparselib"] = round(ratio, 1)
        result["msgs_per_s_beside_capparselib"] = round(ours_again, 1)
    else:
        result["capparselib_reason"] = reason
    others: dict[str, Pass] = {
        # Without pctt.cap's compiled parts (a site without a C compiler).
        "pure_python": pure_python(ours),
        # parse = safe parse + XSD + objects, without the extra rules and signatures.
        "parse_only": local_pass(parse, datas),
        # With XML-DSig verification, which neither comparison library does.
        "with_signatures": local_pass(validate, datas),
        # lxml+XSD, then each element's tag and text fetched into Python and nothing else: the
        # floor of any reader on lxml's Python API.
        "lxml_xsd_touch": local_pass(lxml_xsd_and_touch, datas),
    }
    for name, method in others.items():
        rate, _, ratio = duel(method, lxml_xsd)
        result[f"{name}_msgs_per_s"] = round(rate, 1)
        result[f"{name}_ratio_vs_lxml_xsd"] = round(ratio, 3)
    small = local_pass(check, without_big), local_pass(bare_lxml_xsd, without_big)
    rate, reference, ratio = duel(*small)
    result["without_41k_vertex_file"] = {
        "msgs_per_s": round(rate, 1),
        "lxml_xsd_msgs_per_s": round(reference, 1),
        "ratio": round(ratio, 3),
    }
    result["41k_vertex_file_ms"] = {
        "pctt": round(per_message_ms(check, messages[BIG_FILE]), 2),
        "lxml_xsd": round(per_message_ms(bare_lxml_xsd, messages[BIG_FILE]), 2),
    }
    result["phases_ms_per_pass"] = phases_ms(datas)
    result["speedups"] = speedups.status()
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--capparselib-worker"]:
        capparselib_worker(sys.argv[2])
    else:
        main()
