"""Vietnamese phone numbers: every common way of writing one gives the same E.164 form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.core.phone import (
    MOBILE_PREFIXES,
    OLD_PREFIXES,
    PhoneError,
    is_valid,
    mask,
    mask_in_text,
    network,
    normalise,
)


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "(+84) 0912345678",
        "0084912345678",
        " 091 234 5678 ",
    ],
)
def test_common_ways_of_writing_a_number_normalise_to_e164(raw: str) -> None:
    assert normalise(raw) == "+84912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "091234567",  # nine digits
        "09123456789",  # eleven digits, not an old prefix
        "0241234567",  # landline prefix
        "02412345678",  # landline (Hà Nội)
        "+1 415 555 0100",  # not Vietnamese
        "0012025550100",
        "0912３45678",  # full-width digit
        "0" * 100,
        "0912345678\x00",
    ],
)
def test_non_mobile_or_malformed_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(PhoneError):
        normalise(raw)
    assert not is_valid(raw)


def test_retired_eleven_digit_prefixes_are_converted() -> None:
    assert normalise("01662345678") == "+84362345678"
    assert normalise("+84 1203 456 789") == "+84703456789"


def test_error_messages_never_repeat_the_number() -> None:
    with pytest.raises(PhoneError) as info:
        normalise("02412345678")
    assert "2412345678" not in str(info.value)


def test_network_is_read_from_the_prefix_table() -> None:
    assert network("+84981234567") == "Viettel"
    assert network("+84701234567") == "MobiFone"
    assert network("+1415555") is None


def test_mask_keeps_network_and_two_last_digits_only() -> None:
    assert mask("+84912345678") == "+84 91•••••78"
    assert "345" not in mask("+84912345678")


def test_mask_in_text_scrubs_numbers_inside_messages() -> None:
    line = "gateway rejected 0912 345 678 and +84987654321 at 2026-11-29 07:00"
    masked = mask_in_text(line)
    assert "345 678" not in masked and "87654321" not in masked
    assert "2026-11-29 07:00" in masked


prefixes = st.sampled_from(sorted(MOBILE_PREFIXES))
subscriber_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)
separators = st.sampled_from(["", " ", ".", "-"])


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    prefix = draw(prefixes)
    rest = draw(subscriber_digits)
    national = prefix + rest
    sep = draw(separators)
    groups = [national[:3], national[3:6], national[6:]]
    style = draw(st.sampled_from(["0", "+84", "84", "0084", "+84 0"]))
    written = style + (sep if style != "0" else "") + sep.join(groups)
    return written, "+84" + national


@given(written_numbers())
def test_any_formatting_of_a_valid_number_normalises_to_one_form(case: tuple[str, str]) -> None:
    written, expected = case
    assert normalise(written) == expected


@given(written_numbers())
def test_normalise_is_idempotent_and_mask_hides_the_middle(case: tuple[str, str]) -> None:
    e164 = normalise(case[0])
    assert normalise(e164) == e164
    masked = mask(e164)
    assert e164[5:10] not in masked.replace(" ", "")


@given(st.text(max_size=60))
def test_arbitrary_text_either_normalises_or_raises_phone_error(text: str) -> None:
    try:
        result = normalise(text)
    except PhoneError:
        return
    assert result.startswith("+84") and len(result) == 12 and result[1:].isdigit()


def test_old_prefix_table_maps_to_current_mobile_prefixes() -> None:
    assert set(OLD_PREFIXES.values()) <= set(MOBILE_PREFIXES)
