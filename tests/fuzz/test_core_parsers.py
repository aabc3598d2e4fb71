"""Pure-Python cores: phone numbers, SMS encoding, folding, search queries, speech normaliser.

Each one takes any text — hostile, huge, control characters, surrogates-free Unicode — and
either answers or raises only its documented error.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pctt.core import phone as phones
from pctt.core import search_text, sms, speech, text
from tests.fuzz.profile import FUZZ

ANY_TEXT = st.text(max_size=400)
VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
        "AĂÂĐÊÔƠƯ 0123456789.,:;-/()%°\n"
    ),
    max_size=400,
)
PHONE_LIKE = st.builds(
    lambda prefix, digits, seps: (
        prefix + "".join(d + s for d, s in zip(digits, seps, strict=False))
    ),
    st.sampled_from(["", "0", "+84", "84", "(+84)", "0084", "+1", "+"]),
    st.lists(st.sampled_from("0123456789"), min_size=0, max_size=14),
    st.lists(st.sampled_from(["", "", " ", ".", "-"]), min_size=14, max_size=14),
)


@FUZZ
@given(PHONE_LIKE | ANY_TEXT)
def test_phone_normalise_gives_e164_or_phone_error(raw: str) -> None:
    try:
        number = phones.normalise(raw)
    except phones.PhoneError:
        assert not phones.is_valid(raw)
        return
    assert re.fullmatch(r"\+84\d{9}", number), number
    assert phones.normalise(number) == number  # idempotent
    masked = phones.mask(number)
    assert number[3:] not in masked and "•" in masked


@FUZZ
@given(ANY_TEXT, PHONE_LIKE)
def test_mask_in_text_leaves_no_valid_number_in_clear(prefix: str, raw: str) -> None:
    line = f"{prefix} {raw} ok"
    masked = phones.mask_in_text(line)
    if phones.is_valid(raw):
        assert phones.normalise(raw)[3:] not in "".join(c for c in masked if c.isdigit())


@FUZZ
@given(VIETNAMESE | ANY_TEXT)
def test_sms_segments_join_back_to_the_text(message: str) -> None:
    info = sms.analyse(message)
    parts = sms.split(message)
    assert "".join(parts) == text.nfc(message)
    assert len(parts) == info.segments
    assert info.encoding in ("GSM-7", "UCS-2")
    preview = sms.preview(message)
    assert preview["segments"] == info.segments
    assert preview["ascii"]["segments"] <= max(info.segments, preview["ascii"]["segments"])
    if info.encoding == "GSM-7":
        # Without diacritics the message cannot need more segments than as written.
        assert preview["ascii"]["segments"] <= info.segments


@FUZZ
@given(VIETNAMESE | ANY_TEXT)
def test_fold_is_idempotent_and_plain(value: str) -> None:
    folded = text.fold(value)
    assert text.fold(folded) == folded
    assert folded == folded.strip() and "  " not in folded
    assert folded == folded.lower()
    assert search_text.search_key(value) == folded
    assert text.fold(text.nfc(value)) == folded


@FUZZ
@given(VIETNAMESE | ANY_TEXT)
def test_search_query_parses_or_says_why(query: str) -> None:
    try:
        parsed = search_text.parse_query(query)
    except search_text.QueryError as exc:
        assert str(exc)
        return
    assert all(term == text.fold(term) for term in parsed.terms)


@FUZZ
@given(VIETNAMESE | ANY_TEXT)
def test_speech_normaliser_leaves_no_digit(value: str) -> None:
    spoken = speech.for_speech(value)
    assert not any(ch.isdecimal() for ch in spoken), spoken
    assert spoken == text.nfc(spoken)


@FUZZ
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_are_spoken_in_words(n: int) -> None:
    words = speech.integer_words(n)
    assert words and not any(ch.isdigit() for ch in words)
