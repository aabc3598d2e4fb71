"""The observation API and its ingest: any JSON body from a gauge is stored, rejected with a
reason, or refused with a 4xx; never a server error, never a lost reading."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from pctt.hazards import actions
from pctt.hazards.core.readings import RejectedReading, parse_reading
from pctt.hazards.models import Observation, QuarantinedReading, Station
from tests.fuzz.profile import FUZZ, FUZZ_DB
from tests.hazards.factories import gauge

URL = "/quan-trac/api/observations"
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["2026-09-15T07:00:00+07:00", "2026-09-15 07:00", "12,4", "1e309", "NaN"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
READING = st.fixed_dictionaries(
    {},
    optional={"time": JSON, "value": JSON, "station": JSON, "forecast": JSON},
)


@FUZZ
@given(READING | JSON)
def test_a_reading_parses_or_is_rejected_with_a_reason(raw: Any) -> None:
    try:
        reading = parse_reading(raw, default_station="G1")
    except RejectedReading as exc:
        assert exc.reason and exc.detail
        return
    assert reading.observed_at.tzinfo is not None
    assert reading.value == reading.value  # not NaN


@pytest.fixture
def token(db: None) -> str:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("fuzz-tokens", password="x")
    station = gauge(min_value=0.0, max_value=20.0, max_jump_per_hour=2.0, admin=admin)
    return actions.issue_token(station, user=admin)


@FUZZ_DB
@given(body=st.one_of(st.lists(READING, max_size=5).map(lambda r: {"readings": r}), JSON))
def test_the_api_answers_every_body_with_a_4xx_or_an_account(token: str, body: Any) -> None:
    try:
        raw = json.dumps(body).encode()
    except ValueError:
        raw = b"{"
    before = Observation.objects.count() + QuarantinedReading.objects.count()
    response = Client().generic(
        "POST", URL, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code < 500
    data = response.json()
    if response.status_code == 200:
        # Every reading is accounted for: stored, duplicate, or rejected with its reason.
        sent = len(body["readings"] if isinstance(body, dict) else body)
        assert data["accepted"] + data["duplicates"] + len(data["rejected"]) == sent
        after = Observation.objects.count() + QuarantinedReading.objects.count()
        assert after >= before + data["accepted"]
    else:
        assert data["error"]


@FUZZ_DB
@given(raw=st.binary(max_size=300))
def test_bytes_that_are_not_json_are_a_400(token: str, raw: bytes) -> None:
    response = Client().generic(
        "POST", URL, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code in (200, 400, 413)


@pytest.mark.django_db
@FUZZ_DB
@given(station=st.text(max_size=30), since=st.text(max_size=40))
def test_the_export_answers_any_query(station: str, since: str) -> None:
    Station.objects.all()  # the query below must not fail on any station code
    response = Client().get(URL, {"station": station, "since": since})
    assert response.status_code in (200, 400, 404)
