"""`pctt cap validate|show`: check CAP files and print summaries."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pctt.cap.issues import Issue
from pctt.cap.summary import summarise
from pctt.cap.validator import Report, validate


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pctt cap", description="CAP 1.2 tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate CAP files")
    check.add_argument("--json", action="store_true", help="print a JSON list")
    check.add_argument("--lang", choices=("vi", "en"), default="vi")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    show = commands.add_parser("show", help="summarise a CAP file")
    show.add_argument("--lang", choices=("vi", "en"), default="vi")
    show.add_argument("file", type=Path, metavar="FILE")
    arguments = parser.parse_args(argv)
    if arguments.command == "validate":
        return _validate(arguments.files, as_json=arguments.json, lang=arguments.lang)
    return _show(arguments.file, lang=arguments.lang)


def _read(path: Path) -> tuple[bytes | None, str]:
    try:
        return path.read_bytes(), ""
    except OSError as error:
        return None, error.strerror or str(error)


def _validate(paths: list[Path], *, as_json: bool, lang: str) -> int:
    results = []
    all_valid = True
    for path in paths:
        data, problem = _read(path)
        if data is None:
            all_valid = False
            results.append(_unreadable(path, problem))
            if not as_json:
                print(f"{path}: {'không đọc được' if lang == 'vi' else 'unreadable'} ({problem})")
            continue
        report = validate(data)
        all_valid = all_valid and report.valid
        results.append(_as_dict(path, report, lang))
        if not as_json:
            print(_line(path, report, lang))
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if all_valid else 1


def _issue_dict(issue: Issue, lang: str) -> dict[str, object]:
    return {"rule": issue.rule, "message": issue.message(lang), "line": issue.line}


def _as_dict(path: Path, report: Report, lang: str) -> dict[str, object]:
    return {
        "file": str(path),
        "valid": report.valid,
        "container": report.container,
        "alerts": len(report.alerts),
        "errors": [_issue_dict(issue, lang) for issue in report.errors],
        "warnings": [_issue_dict(issue, lang) for issue in report.warnings],
    }


def _unreadable(path: Path, problem: str) -> dict[str, object]:
    return {
        "file": str(path),
        "valid": False,
        "container": False,
        "alerts": 0,
        "errors": [{"rule": "file.unreadable", "message": problem, "line": None}],
        "warnings": [],
    }


def _line(path: Path, report: Report, lang: str) -> str:
    vi = lang == "vi"
    verdict = (
        ("hợp lệ" if vi else "valid") if report.valid else ("không hợp lệ" if vi else "invalid")
    )
    text = f"{path}: {verdict}"
    if report.container:
        count = len(report.alerts)
        text += f" (tập hợp {count} bản tin)" if vi else f" (container of {count} alerts)"
    if report.errors:
        text += " — " + ", ".join(dict.fromkeys(issue.rule for issue in report.errors))
    if report.warnings:
        word = "cảnh báo" if vi else "warnings"
        text += f" [{word}: " + ", ".join(dict.fromkeys(i.rule for i in report.warnings)) + "]"
    return text


def _show(path: Path, *, lang: str) -> int:
    data, problem = _read(path)
    if data is None:
        print(f"{path}: {'không đọc được' if lang == 'vi' else 'unreadable'} ({problem})")
        return 1
    report = validate(data)
    if not report.alerts:
        for issue in report.errors:
            where = f" (line {issue.line})" if issue.line else ""
            print(f"{issue.rule}{where}: {issue.message(lang)}")
        return 1
    print("\n\n".join(summarise(alert, lang) for alert in report.alerts))
    for issue in report.errors:
        print(f"! {issue.rule}: {issue.message(lang)}")
    return 0 if report.valid else 1
