"""Vietnamese folding and normalisation (pctt.core.text), with the 2025 province lists."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.core.text import (
    admin_unit_key,
    admin_unit_key_loose,
    fold,
    nfc,
    normalise_tone_marks,
    strip_diacritics,
)

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
GEO = SHARED_DATA / "geo"


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_nfc_composes() -> None:
    assert nfc(nfd("Đà Nẵng")) == "Đà Nẵng"
    assert unicodedata.is_normalized("NFC", nfc(nfd("Nguyễn Thị Thủy")))


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Thuỷ", "Thủy"),
        ("khoẻ", "khỏe"),
        # every tone on each diphthong, lower and upper case
        ("hoà hoá hoả hoã hoạ", "hòa hóa hỏa hõa họa"),
        ("HOÀ HOÁ HOẢ HOÃ HOẠ", "HÒA HÓA HỎA HÕA HỌA"),
        ("khoè khoé khoẻ khoẽ khoẹ", "khòe khóe khỏe khõe khọe"),
        ("KHOÈ KHOÉ KHOẺ KHOẼ KHOẸ", "KHÒE KHÓE KHỎE KHÕE KHỌE"),
        ("thuỳ thuý thuỷ thuỹ thuỵ", "thùy thúy thủy thũy thụy"),
        ("THUỲ THUÝ THUỶ THUỸ THUỴ", "THÙY THÚY THỦY THŨY THỤY"),
        ("Hoà, Thuỷ.", "Hòa, Thủy."),  # punctuation ends a syllable
        ("Hoà1", "Hòa1"),
    ],
)
def test_tone_moves_to_first_vowel_of_final_diphthong(written: str, normalised: str) -> None:
    assert normalise_tone_marks(written) == normalised
    assert normalise_tone_marks(nfd(written)) == normalised
    assert normalise_tone_marks(normalised) == normalised


@pytest.mark.parametrize(
    "word",
    [
        "hoàng",  # consonant after the diphthong: tone stays on a
        "Toán",
        "xoài",  # oai: tone on a
        "Ngoại",
        "thuyền",  # uyê: tone on ê
        "khuya",
        "Quý",  # qu is a consonant: tone on y
        "quỳ",
        "Quỹ",
        "quả",
        "QUÝ",
        "Huỳnh",
        "Úy",
        "hòa",  # already in the chosen form
        "Hòa Bình",
    ],
)
def test_tone_left_alone_where_it_belongs(word: str) -> None:
    assert normalise_tone_marks(word) == word
    assert normalise_tone_marks(nfd(word)) == word


def test_fold() -> None:
    assert fold("  Thành phố  HỒ CHÍ MINH!") == "thanh pho ho chi minh"
    assert fold("Đà Nẵng") == "da nang"
    assert fold(nfd("ĐÀ NẴNG")) == "da nang"
    assert fold("Bà Rịa–Vũng Tàu") == "ba ria vung tau"
    assert fold("Tổ dân phố số 7 (khu A)") == "to dan pho so 7 khu a"
    assert fold("\t\n") == ""
    assert fold("Khánh Hoà") == fold("Khánh Hòa") == "khanh hoa"


def test_strip_diacritics_keeps_case_and_punctuation() -> None:
    assert strip_diacritics("Đà Nẵng") == "Da Nang"
    assert strip_diacritics(nfd("Đà Nẵng")) == "Da Nang"
    assert strip_diacritics("BÃO SỐ 3: sơ tán ngay!") == "BAO SO 3: so tan ngay!"
    assert strip_diacritics("đường Đê La Thành") == "duong De La Thanh"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tỉnh Khánh Hoà", "khánh hòa"),
        ("Khánh Hòa", "khánh hòa"),
        ("Thành phố Hồ Chí Minh", "hồ chí minh"),
        ("TP HCM", "hồ chí minh"),
        ("TP.HCM", "hồ chí minh"),
        ("TPHCM", "hồ chí minh"),
        ("TP. Huế", "huế"),
        ("thành phố huế", "huế"),
        ("THÀNH PHỐ HUẾ", "huế"),
        ("Phường Ba Đình", "ba đình"),
        ("Xã Xuân Hoà", "xuân hòa"),
        ("Đặc khu Phú Quốc", "phú quốc"),
        ("Thị trấn Đông Anh", "đông anh"),
        ("Thị xã Sơn Tây", "sơn tây"),
        ("Quận 1", "1"),
        ("Huyện Củ Chi", "củ chi"),
        ("Bà Rịa - Vũng Tàu", "bà rịa vũng tàu"),
        ("Xuân Phương", "xuân phương"),  # "Xã" only as a whole word
        ("Tpx", "tpx"),
        ("Quận", "quận"),  # nothing but a prefix: kept
    ],
)
def test_admin_unit_key(name: str, key: str) -> None:
    assert admin_unit_key(name) == key
    assert admin_unit_key(nfd(name)) == key


def test_admin_unit_key_keeps_distinct_names_distinct() -> None:
    assert admin_unit_key("Hà Nam") != admin_unit_key("Hà Nấm")
    assert admin_unit_key_loose("Hà Nam") == admin_unit_key_loose("Hà Nấm") == "ha nam"
    assert admin_unit_key_loose("Tinh Khanh Hoa") == "tinh khanh hoa"  # no prefix w/o diacritics
    assert admin_unit_key_loose("Tỉnh Khánh Hoà") == "khanh hoa"


# --- the 2025 province lists -----------------------------------------------------------------


def load_official() -> list[dict[str, object]]:
    with (GEO / "dvhcvn_20250701_merges_new_to_old.json").open(encoding="utf-8") as f:
        data: list[dict[str, object]] = json.load(f)["data"]
    return data


def load_geojson_names() -> list[str]:
    with (GEO / "vn_34_provinces_2025.geojson").open(encoding="utf-8") as f:
        return [feature["properties"]["ten_tinh"] for feature in json.load(f)["features"]]


def test_provinces_join_on_name_one_to_one() -> None:
    official = load_official()
    shapes = load_geojson_names()
    assert len(official) == len(shapes) == 34

    by_key: dict[str, list[str]] = {}
    for province in official:
        by_key.setdefault(admin_unit_key(str(province["name"])), []).append(
            str(province["level1_id"])
        )
    assert all(len(ids) == 1 for ids in by_key.values()), by_key

    matched: Counter[str] = Counter()
    for name in shapes:
        ids = by_key.get(admin_unit_key(name), [])
        assert len(ids) == 1, f"{name!r} -> {admin_unit_key(name)!r} matches {ids}"
        matched[ids[0]] += 1
    assert len(matched) == 34
    assert set(matched.values()) == {1}
    # the awkward ones
    assert by_key[admin_unit_key("Khánh Hoà")] == ["56"]
    assert by_key[admin_unit_key("Thanh Hoá")] == ["38"]
    assert by_key[admin_unit_key("TP HCM")] == ["79"]


def test_commune_names_keep_their_identity_within_a_province() -> None:
    for province in load_official():
        communes = province["level2s"]
        assert isinstance(communes, list)
        keys = Counter(admin_unit_key(c["name"]) for c in communes)
        # the prefix is gone and every commune is still told apart from its neighbours
        assert not any(k.startswith(("xã ", "phường ", "đặc khu ")) for k in keys), province["name"]
        assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]


def test_old_and_new_tone_placement_in_the_source_data_agree() -> None:
    names = {
        str(merge["name"])
        for province in load_official()
        for commune in province["level2s"]  # type: ignore[attr-defined]
        for merge in commune["merges"]
    }
    # the source writes both "Hoà" and "Hòa"; after normalisation only one remains
    words = {w for n in names for w in n.split()}
    assert {"Hoà", "Hòa", "Thuỷ", "Thủy"} <= words
    normalised = {w for n in names for w in normalise_tone_marks(n).split()}
    assert {"Hòa", "Thủy", "Hoàng", "Quý"} <= normalised
    assert not {"Hoà", "Thuỷ", "Hoá", "Hoả"} & normalised


# --- properties ------------------------------------------------------------------------------

vietnamese_text = st.text(
    alphabet=st.sampled_from(
        [
            *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊOÔƠUƯY ,.-",
            *"\u0300\u0301\u0303\u0309\u0323",  # the five tone marks, combining
            *"\u0302\u0306\u031b",  # circumflex, breve, horn
        ]
    ),
    max_size=40,
)
any_text = st.one_of(st.text(), vietnamese_text)


@given(any_text)
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(any_text)
def test_fold_ignores_unicode_form(s: str) -> None:
    assert fold(unicodedata.normalize("NFC", s)) == fold(unicodedata.normalize("NFD", s))


@given(any_text)
def test_fold_output_shape(s: str) -> None:
    folded = fold(s)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch.isalnum() or ch == " " for ch in folded)


@given(any_text)
def test_tone_normalisation_is_idempotent_and_form_blind(s: str) -> None:
    once = normalise_tone_marks(s)
    assert normalise_tone_marks(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert normalise_tone_marks(nfd(s)) == once
    assert fold(once) == fold(s)  # only marks move


@given(any_text)
def test_keys_never_raise_and_are_stable(s: str) -> None:
    key = admin_unit_key(s)
    assert admin_unit_key(key) == admin_unit_key(key)
    assert admin_unit_key_loose(s) == fold(key)
    assert strip_diacritics(s) == strip_diacritics(nfd(s))
