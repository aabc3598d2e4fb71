"""Names sort the Vietnamese way: Ă after A, Đ after D, tones only break ties."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pctt.core.text import vi_sort_key


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=vi_sort_key)


def test_letters_with_marks_come_after_their_base_letter() -> None:
    assert _sorted(["Ân", "Bình", "Ăn", "An"]) == ["An", "Ăn", "Ân", "Bình"]
    assert _sorted(["Đức", "Em", "Dũng"]) == ["Dũng", "Đức", "Em"]
    assert _sorted(["Ơn", "Ôn", "On", "Pha"]) == ["On", "Ôn", "Ơn", "Pha"]
    assert _sorted(["Ưng", "Uyên", "Vân", "Ê", "Ế", "Eo"]) == ["Eo", "Ê", "Ế", "Uyên", "Ưng", "Vân"]


def test_d_with_stroke_is_not_a_d_anywhere_in_the_word() -> None:
    # Byte order puts Đ (U+0110) after every ASCII letter; diacritic folding puts it among the Ds.
    assert _sorted(["Zung", "Đào", "Dương", "Ánh"]) == ["Ánh", "Dương", "Đào", "Zung"]
    assert _sorted(["Hồ Đức", "Hồ Dũng"]) == ["Hồ Dũng", "Hồ Đức"]


def test_tones_order_otherwise_equal_words_in_dictionary_order() -> None:
    assert _sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    # A tone never outranks a letter: "bá" comes before "bac" although "á" > "a".
    assert _sorted(["bac", "bá"]) == ["bá", "bac"]


def test_numbers_in_names_compare_by_value() -> None:
    groups = [f"Tổ dân phố {n}" for n in (10, 2, 1, 9, 11)]
    assert _sorted(groups) == [f"Tổ dân phố {n}" for n in (1, 2, 9, 10, 11)]


def test_shorter_name_first_and_spaces_do_not_matter_twice() -> None:
    assert _sorted(["Tổ dân phố", "Tổ", "Tổ  dân"]) == ["Tổ", "Tổ  dân", "Tổ dân phố"]
    assert vi_sort_key("Hà  Nội")[0] == vi_sort_key("Hà Nội")[0]


def test_organisations_of_the_demo_ward_in_vietnamese_order() -> None:
    names = [
        "Ủy ban nhân dân phường",
        "Đoàn Thanh niên phường",
        "Hội Liên hiệp Phụ nữ phường",
        "Ban Chỉ huy phòng thủ dân sự phường",
        "Hội Cựu chiến binh phường",
        "Công an phường",
        "Hội Nông dân phường",
    ]
    assert _sorted(names) == [
        "Ban Chỉ huy phòng thủ dân sự phường",
        "Công an phường",
        "Đoàn Thanh niên phường",
        "Hội Cựu chiến binh phường",
        "Hội Liên hiệp Phụ nữ phường",
        "Hội Nông dân phường",
        "Ủy ban nhân dân phường",
    ]


def test_unicode_form_and_tone_placement_do_not_change_the_order() -> None:
    composed = vi_sort_key("Nguyễn Thị Hòa")
    decomposed = vi_sort_key(unicodedata.normalize("NFD", "Nguyễn Thị Hòa"))
    old_style = vi_sort_key("Nguyễn Thị Hoà")
    assert composed[:3] == decomposed[:3] == old_style[:3]


def test_case_only_breaks_ties() -> None:
    assert _sorted(["Bình", "an", "An"]) == ["an", "An", "Bình"]


def test_hostile_input_sorts_without_error() -> None:
    odd = ["", " ", "\u0301", "\u0301a", "🙂", "Ⅻ", "a\u0000b", "ǅ", "ﬁ", "𝔸", "٣", "x" * 10_000]
    assert sorted(_sorted(odd)) == sorted(odd)
    assert vi_sort_key("")[0] == ()


@given(st.lists(st.text(max_size=12), max_size=12))
def test_the_order_is_total_and_does_not_depend_on_the_input_order(names: list[str]) -> None:
    once = _sorted(names)
    assert _sorted(list(reversed(names))) == once
    assert sorted(once) == sorted(names)
