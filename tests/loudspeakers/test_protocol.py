"""The controllers' messages: what we accept and the clear refusal of everything else."""

from __future__ import annotations

import json

import pytest

from pctt.loudspeakers import protocol as p


def test_topics_name_the_controller_and_refuse_wildcards() -> None:
    assert p.topic("LOA-01", p.STATE) == "pctt/loa/LOA-01/trangthai"
    assert p.split_topic("pctt/loa/LOA-01/bienlai") == ("LOA-01", "bienlai")
    for bad in ("", "a/b", "#", "x+y", "a\x00"):
        with pytest.raises(p.ProtocolError):
            p.topic(bad, p.STATE)
    for bad in ("pctt/loa//trangthai", "other/loa/x/y", "pctt/loa/x", "pctt/loa/x/y/z"):
        with pytest.raises(p.ProtocolError):
            p.split_topic(bad)


def test_a_dispatch_warning_is_an_item_with_its_reference_and_an_estimated_duration() -> None:
    body = {
        "identifier": "x",
        "priority": "emergency",
        "headline": "Lũ lớn",
        "script": "Lũ lớn trên sông Cái, bà con sơ tán ngay lên chỗ cao.",
        "reference": "alert:4:v5",
        "key": "pctt-1-2-3-4",
        "status": "Actual",
    }
    item = p.parse_item(body)
    assert (item.id, item.priority, item.reference, item.kind) == (
        "pctt-1-2-3-4",
        "emergency",
        "alert:4:v5",
        "warning",
    )
    assert item.duration_s == pytest.approx(13 * 60 / 150)  # 13 words at 150 a minute


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"{" * 100_000, "not JSON"),
        (b"x" * (p.MAX_PAYLOAD_BYTES + 1), "over"),
        (json.dumps({"a": "\ud800"}).encode(), ""),
    ],
)
def test_malformed_and_oversized_payloads_are_refused(payload: bytes, message: str) -> None:
    try:
        p.decode(payload)
    except p.ProtocolError as exc:
        assert message in str(exc)
    else:
        assert message == ""  # a lone surrogate escape is valid JSON text


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"id": "a"},
        {"id": "a", "duration_s": -1},
        {"id": "a", "duration_s": float("inf")},
        {"id": "a", "duration_s": "5"},
        {"id": "a", "duration_s": True},
        {"id": "a", "duration_s": 5, "priority": "urgent"},
        {"id": "a" * 500, "duration_s": 5},
        {"id": "a", "duration_s": 5, "at": "tomorrow"},
        {"id": 7, "duration_s": 5},
    ],
)
def test_bad_items_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_item(body)


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {"version": -1},
        {"version": "2"},
        {"version": 1, "items": "x"},
        {"version": 1, "items": [{"id": "a", "duration_s": 1}]},  # no time
        {"version": 1, "items": [[1]]},
        {"version": 1, "items": [{"id": str(i), "duration_s": 1, "at": 1} for i in range(2001)]},
    ],
)
def test_bad_schedules_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_schedule(body)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"online": "yes"},
        {"online": True, "volume": 101},
        {"online": True, "volume": True},
        {"online": True, "schedule_version": 1.5},
        {"online": True, "firmware": "x" * 65},
    ],
)
def test_bad_states_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_state(body)


@pytest.mark.parametrize(
    "body",
    [
        {"event": "played"},
        {"id": "r1", "event": "exploded"},
        {"id": "r1", "event": "played", "started_at": 1, "duration_s": 1},  # no item
        {"id": "r1", "event": "played", "item_id": "a", "started_at": -5, "duration_s": 1},
        {"id": "r1", "event": "schedule", "version": "3"},
    ],
)
def test_bad_receipts_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(p.ProtocolError):
        p.parse_receipt(body)


def test_a_schedule_round_trips() -> None:
    schedule = p.Schedule(
        version=3, items=[p.Item(id="a", title="Bản tin", duration_s=60, at=1_800_000_000.0)]
    )
    again = p.parse_schedule(p.decode(p.encode(schedule.to_json())))
    assert again == schedule
