"""The pure core of upward reporting: canonical JSON, signatures, .docx checks, the schema,
and the province's sums. No database."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.plans import upward_signing as signing
from pctt.plans.periods import parse_period
from pctt.plans.upward_schema import (
    SchemaError,
    aggregate,
    period_text,
    report_status,
    validate_payload,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


@given(json_values)
def test_canonical_json_survives_a_round_trip_unchanged(value: Any) -> None:
    once = signing.canonical_json(value)
    assert signing.canonical_json(signing.parse_json(once)) == once


@given(st.dictionaries(st.text(max_size=8), st.integers(), max_size=8))
def test_canonical_json_does_not_depend_on_key_order(value: dict[str, int]) -> None:
    reversed_order = dict(reversed(list(value.items())))
    assert signing.canonical_json(value) == signing.canonical_json(reversed_order)


@pytest.mark.parametrize(
    "raw",
    [b"1.5", b"NaN", b'{"a":1,"a":2}', b"\xff", b"[1,", b"[" * 40 + b"]" * 40],
)
def test_strict_parsing_refuses_floats_nan_duplicate_keys_bad_bytes_and_deep_nesting(
    raw: bytes,
) -> None:
    with pytest.raises(signing.CanonicalError):
        signing.parse_json(raw)


def _signed(**changes: Any) -> signing.Signed:
    fields: dict[str, Any] = {
        "timestamp": 1_780_000_000,
        "nonce": "n" * 24,
        "ward_code": "DEMO-00001",
        "json_sha256": "a" * 64,
        "docx_sha256": "b" * 64,
    }
    return signing.Signed(**{**fields, **changes})


def test_a_signature_verifies_with_the_stored_hash_and_breaks_when_anything_changes() -> None:
    token = signing.new_token()
    key = signing.signing_key(signing.hash_token(token))
    signature = signing.sign(key, _signed())
    assert signing.verify(key, _signed(), signature)
    for change in (
        {"timestamp": 1_780_000_001},
        {"nonce": "m" * 24},
        {"ward_code": "OTHER"},
        {"json_sha256": "c" * 64},
        {"docx_sha256": "c" * 64},
    ):
        assert not signing.verify(key, _signed(**change), signature)
    other_key = signing.signing_key(signing.hash_token(signing.new_token()))
    assert not signing.verify(other_key, _signed(), signature)


def test_timestamps_are_accepted_only_within_five_minutes() -> None:
    assert signing.check_timestamp(1000, 1000 + 300)
    assert signing.check_timestamp(1000, 1000 - 300)
    assert not signing.check_timestamp(1000, 1000 + 301)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<Types><Override PartName="/word/document.xml" ContentType="'
    + signing.DOCX_MAIN_TYPE.encode()
    + b'"/></Types>'
)


def test_a_zip_with_a_word_main_part_is_a_docx() -> None:
    signing.check_docx(_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"}))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a zip",
        b"PK\x03\x04 truncated",
        _zip({"word/document.xml": b"<w/>"}),
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        _zip({"[Content_Types].xml": CONTENT_TYPES}),
        _zip({"[Content_Types].xml": b" " * 70_000 + CONTENT_TYPES}),
    ],
    ids=["pdf", "truncated", "no-types", "not-word", "main-part-missing", "huge-types"],
)
def test_anything_else_is_not_a_docx(data: bytes) -> None:
    with pytest.raises(signing.DocxError):
        signing.check_docx(data)


def figures(activities: int = 3, participants: int = 40) -> dict[str, Any]:
    return {
        "period": {
            "kind": "month",
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-30",
            "label": "tháng 9 năm 2026",
        },
        "activities": activities,
        "participants": participants,
        "reached_estimate": 500,
        "warnings_sent": 1,
        "by_group_field": {"women": 20, "youth": 5},
        "by_theme": [["C1", "Chủ trương", 2], ["C4", "Kỹ năng", 1]],
        "by_form": [["F2", "Trực tiếp", 3]],
        "by_organisation": [["Hội Phụ nữ", 2], ["Đoàn Thanh niên", 1]],
        "coverage": [["TDP 1", 2, 30], ["TDP 2", 0, 0]],
        "tasks": {"done": 2, "due": 1, "overdue": 1, "upcoming": 0},
        "groups_without_activity": ["TDP 2"],
    }


def payload(**figure_changes: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "ward": {"code": "DEMO-00001", "name": "Phường Bến Sông"},
        "report": {
            "number": 3,
            "number_symbol": "3-BC/ĐU",
            "layout": "party",
            "dated": "2026-10-02",
            "title": "kết quả tuyên truyền",
            "period": "2026-09",
        },
        "figures": {**figures(), **figure_changes},
    }


def test_a_wards_payload_matches_the_schema() -> None:
    assert validate_payload(payload()) == payload()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(version=2), "version"),
        (lambda p: p["figures"].update(activities=-1), "$.figures.activities"),
        (lambda p: p["figures"].update(participants=True), "$.figures.participants"),
        (lambda p: p["figures"].pop("tasks"), "$.figures.tasks: missing"),
        (lambda p: p["figures"].update(surprise=1), "$.figures.surprise: not expected"),
        (lambda p: p["figures"]["by_theme"].append(["C9", "x"]), "$.figures.by_theme[2]"),
        (lambda p: p["report"].update(period="2026-13"), "$.report.period"),
        (lambda p: p["report"].update(period="2026-08"), "does not match"),
        (lambda p: p["ward"].update(code="../../etc"), "$.ward.code"),
        (lambda p: p["report"].update(layout="x"), "$.report.layout"),
    ],
)
def test_a_payload_that_breaks_the_schema_is_refused_with_the_place_named(
    change: Any, message: str
) -> None:
    bad = copy.deepcopy(payload())
    change(bad)
    with pytest.raises(SchemaError) as raised:
        validate_payload(bad)
    assert any(message in error for error in raised.value.errors)


def test_the_province_sums_indicators_across_wards() -> None:
    second = figures(activities=5, participants=60)
    second["by_theme"] = [["C4", "Kỹ năng", 4], ["C10", "Khác", 1]]
    second["by_organisation"] = [["Hội Phụ nữ", 5]]
    totals = aggregate([figures(), second])
    assert totals["wards"] == 2
    assert totals["activities"] == 8
    assert totals["participants"] == 100
    assert totals["reached_estimate"] == 1000
    assert totals["warnings_sent"] == 2
    assert totals["by_group_field"] == {"women": 40, "youth": 10}
    assert totals["tasks"] == {"done": 4, "due": 2, "overdue": 2, "upcoming": 0}
    assert totals["by_theme"] == [["C1", "Chủ trương", 2], ["C4", "Kỹ năng", 5], ["C10", "Khác", 1]]
    assert totals["by_form"] == [["F2", "Trực tiếp", 6]]
    assert totals["by_organisation"] == [["Hội Phụ nữ", 7], ["Đoàn Thanh niên", 1]]


def test_summing_no_wards_gives_zeros() -> None:
    totals = aggregate([])
    assert totals["wards"] == 0 and totals["activities"] == 0 and totals["by_theme"] == []


@pytest.mark.parametrize(
    "text", ["2026-09", "2026-Q3", "2026-H2", "2026", "2026-09-01..2026-09-15"]
)
def test_period_text_is_the_inverse_of_parse_period(text: str) -> None:
    assert period_text(parse_period(text)) == text


@pytest.mark.parametrize(
    ("received", "today", "status"),
    [
        (date(2026, 10, 5), date(2026, 11, 1), "reported"),
        (date(2026, 10, 6), date(2026, 11, 1), "late"),
        (None, date(2026, 10, 6), "missing"),
        (None, date(2026, 10, 5), "pending"),
    ],
)
def test_a_monthly_report_is_due_five_days_after_the_month(
    received: date | None, today: date, status: str
) -> None:
    assert report_status(received, parse_period("2026-09"), today) == status
