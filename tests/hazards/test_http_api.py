"""The gauge API: good, bad, duplicate, late, hostile and oversized batches."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pctt.hazards import actions
from pctt.hazards.models import Observation, QuarantinedReading, Station
from tests.hazards.factories import RoleKey, gauge, reading, readings_rising, user_with

URL = "/quan-trac/api/observations"
pytestmark = pytest.mark.django_db


@pytest.fixture
def station() -> Station:
    return gauge(min_value=0.0, max_value=20.0, max_jump_per_hour=2.0)


@pytest.fixture
def token(station: Station) -> str:
    return actions.issue_token(station, user=user_with(RoleKey.ADMINISTRATOR, "tokens"))


def _post(token: str, body: Any, *, raw: bytes | None = None) -> Any:
    data = raw if raw is not None else json.dumps(body).encode()
    return Client().generic(
        "POST", URL, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_good_batch_is_stored(station: Station, token: str) -> None:
    response = _post(token, {"readings": readings_rising([2.0, 2.1, 2.2])})
    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "duplicates": 0, "rejected": [], "proposals": []}
    station.refresh_from_db()
    assert station.last_value == 2.2 and station.observations.count() == 3


def test_a_bad_line_is_quarantined_and_the_good_ones_kept(station: Station, token: str) -> None:
    batch = [reading(2.0, minutes_ago=20), {"time": "nope", "value": 1}, reading(2.1)]
    batch.append(reading(2.0, minutes_ago=5, unit="cm"))
    batch.append(reading(55.0, minutes_ago=3))
    body = _post(token, {"readings": batch}).json()
    assert body["accepted"] == 2
    assert [(r["index"], r["reason"]) for r in body["rejected"]] == [
        (1, "malformed"),
        (3, "unit_mismatch"),
        (4, "implausible_value"),
    ]
    kept = QuarantinedReading.objects.order_by("pk")
    assert [q.reason for q in kept] == ["malformed", "unit_mismatch", "implausible_value"]
    assert '"nope"' in kept[0].raw and kept[0].station_code == station.code


def test_resending_a_batch_is_harmless(station: Station, token: str) -> None:
    batch = {"readings": readings_rising([2.0, 2.1])}
    _post(token, batch)
    again = _post(token, batch).json()
    assert (again["accepted"], again["duplicates"]) == (0, 2)
    assert Observation.objects.count() == 2


def test_a_late_reading_is_stored_but_does_not_move_the_level(station: Station, token: str) -> None:
    _post(token, {"readings": [reading(3.5, minutes_ago=5)]})
    late = _post(token, {"readings": [reading(2.9, minutes_ago=60)]}).json()
    assert late["accepted"] == 1
    station.refresh_from_db()
    assert station.last_value == 3.5 and station.alarm_level == 1


def test_far_past_and_future_readings_are_refused(token: str) -> None:
    body = _post(
        token, {"readings": [reading(2.0, minutes_ago=60 * 24 * 90), reading(2.0, minutes_ago=-90)]}
    ).json()
    assert [r["reason"] for r in body["rejected"]] == ["too_old", "in_future"]


def test_a_token_speaks_only_for_its_station(token: str) -> None:
    gauge(code="OTHER-01")
    body = _post(token, {"readings": [reading(2.0, station="OTHER-01")]}).json()
    assert body["rejected"][0]["reason"] == "not_allowed"
    assert not Observation.objects.exists()


@pytest.mark.parametrize("header", ["", "Bearer wrong", "Basic abc"])
def test_no_valid_token_no_entry(station: Station, header: str) -> None:
    response = Client().post(
        URL, {"readings": []}, content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 401


def test_an_oversized_body_is_refused(token: str) -> None:
    response = _post(token, None, raw=b'{"readings": [' + b" " * 300_000 + b"]}")
    assert response.status_code == 413


def test_more_than_a_thousand_readings_are_refused(token: str) -> None:
    response = _post(token, [reading(2.0, minutes_ago=i) for i in range(1001)])
    assert response.status_code == 413
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'{"readings": 5}', b'"text"'],
)
def test_hostile_bodies_get_a_clear_error_and_are_kept(token: str, raw: bytes) -> None:
    response = _post(token, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_json", "no_readings")
    assert QuarantinedReading.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"\x00\x00\x00", "invalid_json"),
        (b'{"readings": [\x00]}', "invalid_json"),
        (
            b'{"readings": [{"station": "G\\u0000", "time": "2026-01-01T00:00Z", "value": 1}]}',
            "nul_character",
        ),
        (b'{"readings": [], "n\\u0000te": 1}', "nul_character"),
    ],
)
def test_nul_characters_are_refused_and_kept_readable(token: str, raw: bytes, error: str) -> None:
    # PostgreSQL text cannot hold U+0000: the body is refused, and kept with U+FFFD in its place.
    response = _post(token, None, raw=raw)
    assert response.status_code == 400 and response.json()["error"] == error
    kept = QuarantinedReading.objects.get()
    assert "\x00" not in kept.raw and "\x00" not in kept.detail


def test_a_reading_naming_a_station_with_a_nul_is_rejected_not_stored(token: str) -> None:
    batch = [{**reading(2.0), "station": "G\x00"}, {**reading(2.0), "unit": "m\x00"}]
    result = actions.receive_readings(batch, source="mqtt")
    assert [r.reason for r in result.rejected] == ["malformed", "malformed"]
    assert all("\x00" not in q.station_code + q.raw for q in QuarantinedReading.objects.all())


def test_observations_export_as_csv_and_json(station: Station, token: str) -> None:
    _post(token, {"readings": readings_rising([2.0, 2.1])})
    as_json = Client().get(URL, {"station": station.code}).json()
    assert [o["value"] for o in as_json["observations"]] == [2.0, 2.1]
    as_csv = Client().get(URL, {"station": station.code, "format": "csv"})
    lines = as_csv.content.decode().splitlines()
    assert lines[0] == "station,time,value,unit,forecast" and len(lines) == 3
    assert Client().get(URL, {"station": "nope"}).status_code == 404
    # Found by the PostgreSQL fuzz pass: a NUL in the code used to reach the query (500).
    assert Client().get(URL, {"station": station.code + "\x00"}).status_code == 400


def test_station_status_says_level_distance_and_trend(station: Station, token: str) -> None:
    _post(token, {"readings": readings_rising([3.6, 3.7, 3.8, 3.9])})
    (described,) = Client().get("/quan-trac/api/stations").json()["stations"]
    assert described["alarm_level"] == 1
    assert described["phrase"] == "trên báo động I 0,90 m"
    assert described["next"] == {"level": 2, "distance": 0.1}
    assert described["trend"]["direction"] == "rising"
    assert described["trend"]["rate_per_hour"] == pytest.approx(0.6)
    assert described["thresholds"]["source"] == "Quyết định thử nghiệm, Điều 1"
