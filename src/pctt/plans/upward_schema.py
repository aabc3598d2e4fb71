"""What a ward sends upward, its schema, and the province's sums: pure Python, no Django.

The payload (canonical JSON, see `upward_signing`)::

    {"version": 1,
     "ward": {"code": "…", "name": "…"},
     "report": {"number": 12, "number_symbol": "12-BC/ĐU", "layout": "party",
                "dated": "2026-09-25", "title": "…", "period": "2026-09"},
     "figures": {…the report's frozen figures…}}

Figures carry indicators by theme, form, organisation and residential group, people reached
and tasks; the keys below are required, a few more are allowed, anything else is refused.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from pctt.plans.periods import Period, PeriodError, parse_period

__all__ = [
    "PAYLOAD_VERSION",
    "SchemaError",
    "aggregate",
    "due_on",
    "period_text",
    "report_status",
    "validate_payload",
]

PAYLOAD_VERSION = 1
MAX_COUNT = 1_000_000_000
MAX_TEXT = 500
MAX_ROWS = 2_000

Spec = Any  # "int" | "str" | "date" | ("list", spec) | ("row", [specs]) | ("map", spec) | dict

COUNT_MAP: Spec = ("map", "int")
FIGURES: dict[str, Spec] = {
    "period": {"kind": "str", "starts_on": "date", "ends_on": "date", "label": "str"},
    "activities": "int",
    "participants": "int",
    "reached_estimate": "int",
    "warnings_sent": "int",
    "by_group_field": COUNT_MAP,
    "by_theme": ("list", ("row", ["str", "str", "int"])),
    "by_form": ("list", ("row", ["str", "str", "int"])),
    "by_organisation": ("list", ("row", ["str", "int"])),
    "coverage": ("list", ("row", ["str", "int", "int"])),
    "tasks": {"done": "int", "due": "int", "overdue": "int", "upcoming": "int"},
}
OPTIONAL_FIGURES: dict[str, Spec] = {
    "by_kind": ("list", ("row", ["str", "int"])),
    "participants_by_month": COUNT_MAP,
    "groups_without_activity": ("list", "str"),
    "overdue": ("list", ("row", ["str", "str", "str"])),
}
REPORT: dict[str, Spec] = {
    "number": "int",
    "number_symbol": "str",
    "layout": "str",
    "dated": "date",
    "title": "str",
    "period": "str",
}
WARD: dict[str, Spec] = {"code": "str", "name": "str"}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


class SchemaError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def period_text(period: Period) -> str:
    """The period as people write it, the inverse of `parse_period`."""
    start = period.starts_on
    if period.kind == "month":
        return f"{start:%Y-%m}"
    if period.kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if period.kind == "half":
        return f"{start.year}-H{1 if start.month == 1 else 2}"
    if period.kind == "year":
        return f"{start.year}"
    return f"{start.isoformat()}..{period.ends_on.isoformat()}"


def _check(value: Any, spec: Spec, where: str, errors: list[str]) -> None:
    if len(errors) > 20 or spec == "any":
        return
    if spec == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            errors.append(f"{where}: expected a whole number from 0 to {MAX_COUNT}")
    elif spec == "str":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            errors.append(f"{where}: expected text of at most {MAX_TEXT} characters")
    elif spec == "date":
        try:
            date.fromisoformat(value if isinstance(value, str) and len(value) == 10 else "")
        except ValueError:
            errors.append(f"{where}: expected a date YYYY-MM-DD")
    elif isinstance(spec, dict):
        _check_object(value, spec, {}, where, errors)
    elif spec[0] == "list":
        if not isinstance(value, list) or len(value) > MAX_ROWS:
            errors.append(f"{where}: expected a list of at most {MAX_ROWS} items")
            return
        for index, item in enumerate(value):
            _check(item, spec[1], f"{where}[{index}]", errors)
    elif spec[0] == "row":
        if not isinstance(value, list) or len(value) != len(spec[1]):
            errors.append(f"{where}: expected a row of {len(spec[1])} values")
            return
        for index, (item, item_spec) in enumerate(zip(value, spec[1], strict=True)):
            _check(item, item_spec, f"{where}[{index}]", errors)
    elif spec[0] == "map":
        if not isinstance(value, dict) or len(value) > MAX_ROWS:
            errors.append(f"{where}: expected an object")
            return
        for key, item in value.items():
            _check(item, spec[1], f"{where}.{key[:40]}", errors)


def _check_object(
    value: Any,
    required: Mapping[str, Spec],
    optional: Mapping[str, Spec],
    where: str,
    errors: list[str],
) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected an object")
        return
    for key, spec in required.items():
        if key not in value:
            errors.append(f"{where}.{key}: missing")
        else:
            _check(value[key], spec, f"{where}.{key}", errors)
    for key, item in value.items():
        if key in optional:
            _check(item, optional[key], f"{where}.{key}", errors)
        elif key not in required:
            errors.append(f"{where}.{key[:40]}: not expected")


def validate_payload(payload: Any) -> dict[str, Any]:
    """Return the payload when it matches the schema; raise SchemaError with every problem."""
    errors: list[str] = []
    if not isinstance(payload, dict):
        raise SchemaError(["the payload must be a JSON object"])
    if payload.get("version") != PAYLOAD_VERSION:
        errors.append(f"version: expected {PAYLOAD_VERSION}")
    shape = {"version": "int", "ward": WARD, "report": REPORT}
    _check_object(payload, shape, {"figures": "any"}, "$", errors)
    if "figures" not in payload:
        errors.append("$.figures: missing")
    else:
        _check_object(payload["figures"], FIGURES, OPTIONAL_FIGURES, "$.figures", errors)
    if errors:
        raise SchemaError(errors)
    ward, report = payload["ward"], payload["report"]
    if not CODE_PATTERN.match(ward["code"]):
        errors.append("$.ward.code: letters, digits, '.', '_' or '-' only")
    if report["layout"] not in ("party", "state"):
        errors.append("$.report.layout: expected party or state")
    if report["number"] < 1:
        errors.append("$.report.number: expected a positive number")
    try:
        period = parse_period(report["period"])
    except PeriodError as exc:
        errors.append(f"$.report.period: {exc}")
    else:
        stated = payload["figures"]["period"]
        if (stated["starts_on"], stated["ends_on"]) != (
            period.starts_on.isoformat(),
            period.ends_on.isoformat(),
        ):
            errors.append("$.figures.period: does not match $.report.period")
    if errors:
        raise SchemaError(errors)
    return payload


def aggregate(all_figures: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Sum validated figures across wards: totals, people by group, counts by theme and form
    (by code, since every ward implements the same province plan), tasks, and activities by
    organisation (by name: each ward's organisations are its own)."""
    totals: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    labels: dict[str, str] = {}
    wards = 0
    for figures in all_figures:
        wards += 1
        for key in ("activities", "participants", "reached_estimate", "warnings_sent"):
            totals[key] += figures[key]
        groups.update(figures["by_group_field"])
        tasks.update(figures["tasks"])
        for code, label, count in figures["by_theme"]:
            themes[code] += count
            labels.setdefault(code, label)
        for code, label, count in figures["by_form"]:
            forms[code] += count
            labels.setdefault(code, label)
        for name, count in figures["by_organisation"]:
            organisations[name] += count
    return {
        "wards": wards,
        **{k: totals[k] for k in ("activities", "participants", "reached_estimate")},
        "warnings_sent": totals["warnings_sent"],
        "by_group_field": dict(sorted(groups.items())),
        "tasks": {k: tasks[k] for k in ("done", "due", "overdue", "upcoming")},
        "by_theme": [[c, labels[c], n] for c, n in sorted(themes.items(), key=_code_key)],
        "by_form": [[c, labels[c], n] for c, n in sorted(forms.items(), key=_code_key)],
        "by_organisation": [[name, n] for name, n in organisations.most_common()],
    }


def _code_key(item: tuple[str, int]) -> tuple[str, int]:
    code = item[0]
    digits = "".join(c for c in code if c.isdigit())
    return (code.rstrip("0123456789"), int(digits or 0))


#: A period's report is due this many days after the period ends.
DUE_DAYS_AFTER_PERIOD = 5


def due_on(period: Period) -> date:
    return period.ends_on + timedelta(days=DUE_DAYS_AFTER_PERIOD)


def report_status(received_on: date | None, period: Period, today: date) -> str:
    """reported (on time), late, missing (due and not received), or pending (not yet due)."""
    deadline = due_on(period)
    if received_on is not None:
        return "reported" if received_on <= deadline else "late"
    return "missing" if today > deadline else "pending"
