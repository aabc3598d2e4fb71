"""Vietnamese normalisation for speech (pctt.core.speech), on real warning sentences."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pctt.core.speech import ABBREVIATIONS, UNITS, digits_words, for_speech, integer_words

WARNINGS = [
    (
        "Mực nước sông Hồng tại Hà Nội lúc 7h ngày 15/9 là 10,52 m, trên BĐ2 0,02 m",
        "Mực nước sông Hồng tại Hà Nội lúc bảy giờ ngày mười lăm tháng chín là mười phẩy năm "
        "mươi hai mét, trên báo động hai không phẩy không hai mét",
    ),
    (
        "Dự báo từ ngày 14/9 đến ngày 16/9/2026, khu vực phường có mưa to, lượng mưa "
        "200-300mm, có nơi trên 400 mm.",
        "Dự báo từ ngày mười bốn tháng chín đến ngày mười sáu tháng chín năm hai nghìn không "
        "trăm hai mươi sáu, khu vực phường có mưa to, lượng mưa từ hai trăm đến ba trăm mi li "
        "mét, có nơi trên bốn trăm mi li mét.",
    ),
    (
        "Trên đất liền gió mạnh cấp 8, gió giật cấp 10-11; vùng gần tâm bão có sức gió "
        "118-133 km/h.",
        "Trên đất liền gió mạnh cấp tám, gió giật cấp mười đến cấp mười một; vùng gần tâm bão "
        "có sức gió từ một trăm mười tám đến một trăm ba mươi ba ki lô mét trên giờ.",
    ),
    (
        "Hồi 13h00 ngày 15/9, vị trí tâm ATNĐ ở vào khoảng 17,5 độ Vĩ Bắc; 108,3 độ Kinh "
        "Đông, áp suất 1.000 hPa.",
        "Hồi mười ba giờ ngày mười lăm tháng chín, vị trí tâm áp thấp nhiệt đới ở vào khoảng "
        "mười bảy phẩy năm độ Vĩ Bắc; một trăm linh tám phẩy ba độ Kinh Đông, áp suất một "
        "nghìn héc tô pa xcan.",
    ),
    (
        "Lưu lượng đến hồ Hòa Bình 8.500 m3/s, mực nước sông Cầu tại Đáp Cầu vượt báo động "
        "III 0,35 m.",
        "Lưu lượng đến hồ Hòa Bình tám nghìn năm trăm mét khối trên giây, mực nước sông Cầu "
        "tại Đáp Cầu vượt báo động ba không phẩy ba mươi lăm mét.",
    ),
    (
        "UBND phường yêu cầu BCH PCTT&TKCN các TDP sơ tán 1.250 hộ dân trước 17:30; khi cần "
        "hỗ trợ gọi 112 hoặc đường dây nóng 0912 345 678.",
        "Ủy ban nhân dân phường yêu cầu Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn "
        "các tổ dân phố sơ tán một nghìn hai trăm năm mươi hộ dân trước mười bảy giờ ba mươi "
        "phút; khi cần hỗ trợ gọi một một hai hoặc đường dây nóng không chín một hai, ba bốn "
        "năm, sáu bảy tám.",
    ),
    (
        "Nhiệt độ thấp nhất 6-8°C, vùng núi cao có nơi dưới 3°C, độ ẩm 85-90%.",
        "Nhiệt độ thấp nhất từ sáu đến tám độ xê, vùng núi cao có nơi dưới ba độ xê, độ ẩm từ "
        "tám mươi lăm đến chín mươi phần trăm.",
    ),
    (
        "Cấp độ rủi ro thiên tai do lũ: cấp 3, lũ lên với cường suất 0,5 m/h.",
        "Cấp độ rủi ro thiên tai do lũ: cấp ba, lũ lên với cường suất không phẩy năm mét trên giờ.",
    ),
    (
        "Diện tích lúa bị ngập 350 ha, thiệt hại ước tính 2,5 tỷ đồng.",
        "Diện tích lúa bị ngập ba trăm năm mươi héc ta, thiệt hại ước tính hai phẩy năm tỷ đồng.",
    ),
    (
        "Sáng 16/9 (từ 7h-9h), MTTQ phường phối hợp KTTV tổ chức diễn tập PCCC tại TDP 3.",
        "Sáng ngày mười sáu tháng chín (từ bảy giờ đến chín giờ), Mặt trận Tổ quốc phường phối "
        "hợp khí tượng thủy văn tổ chức diễn tập phòng cháy, chữa cháy tại tổ dân phố ba.",
    ),
    (
        "Mưa lớn kéo dài từ 15-17/9; đỉnh lũ tháng 9/2026 có thể vượt BĐIII.",
        "Mưa lớn kéo dài từ ngày mười lăm đến ngày mười bảy tháng chín; đỉnh lũ tháng chín năm "
        "hai nghìn không trăm hai mươi sáu có thể vượt báo động ba.",
    ),
]


@pytest.mark.parametrize(("written", "spoken"), WARNINGS)
def test_warning_sentences(written: str, spoken: str) -> None:
    assert for_speech(written) == spoken


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (1_000, "một nghìn"),
        (1_200, "một nghìn hai trăm"),
        (2_026, "hai nghìn không trăm hai mươi sáu"),
        (10_000, "mười nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (3_500_000, "ba triệu năm trăm nghìn"),
        (1_000_000_000, "một tỷ"),
        (2_500_000_000, "hai tỷ năm trăm triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-5, "âm năm"),
    ],
)
def test_integer_words(n: int, words: str) -> None:
    assert integer_words(n) == words


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("9,5 m", "chín phẩy năm mét"),
        ("0,025 m", "không phẩy không hai năm mét"),
        ("1.200", "một nghìn hai trăm"),
        ("1.000.000.000 đồng", "một tỷ đồng"),
        ("15/9/2026", "ngày mười lăm tháng chín năm hai nghìn không trăm hai mươi sáu"),
        ("15-9-2026", "ngày mười lăm tháng chín năm hai nghìn không trăm hai mươi sáu"),
        ("15/9", "ngày mười lăm tháng chín"),
        ("ngày 15/9", "ngày mười lăm tháng chín"),
        ("ngày 30/4", "ngày ba mươi tháng tư"),
        ("tháng 4", "tháng tư"),
        ("17h30", "mười bảy giờ ba mươi phút"),
        ("17:30", "mười bảy giờ ba mươi phút"),
        ("7 giờ", "bảy giờ"),
        ("07h05", "bảy giờ năm phút"),
        ("trong 24h tới", "trong hai mươi tư giờ tới"),
        ("200-300mm", "từ hai trăm đến ba trăm mi li mét"),
        ("200 - 300 mm", "từ hai trăm đến ba trăm mi li mét"),
        ("từ 1,5-2 m", "từ một phẩy năm đến hai mét"),
        ("60 km/h", "sáu mươi ki lô mét trên giờ"),
        ("12 m/s", "mười hai mét trên giây"),
        ("3.000 m³/s", "ba nghìn mét khối trên giây"),
        ("-2°C", "âm hai độ xê"),
        ("35℃", "ba mươi lăm độ xê"),
        ("85%", "tám mươi lăm phần trăm"),
        ("5 ha", "năm héc ta"),
        ("5 mẫu", "năm mẫu"),  # "m" followed by a letter is not a unit
        ("báo động III", "báo động ba"),
        ("Báo động II", "Báo động hai"),
        ("cấp II", "cấp hai"),
        ("cấp độ IV", "cấp độ bốn"),
        ("BĐ1, BĐ 2, BĐ3", "báo động một, báo động hai, báo động ba"),
        ("gọi 112", "gọi một một hai"),
        ("số 114", "số một một bốn"),
        ("nhà số 15", "nhà số mười lăm"),
        ("gọi 10 người", "gọi mười người"),
        ("đường dây nóng: 1800 1090", "đường dây nóng: một tám không không, một không chín không"),
        ("SĐT 0912345678", "số điện thoại không chín một hai, ba bốn năm, sáu bảy tám"),
        ("liên hệ 024.3826.1234", "liên hệ không hai bốn, ba tám hai sáu, một hai ba bốn"),
        ("+84 912 345 678", "cộng tám bốn, chín một hai, ba bốn năm, sáu bảy tám"),
        ("lần thứ 1, thứ 4", "lần thứ nhất, thứ tư"),
        ("QL1A", "quốc lộ một A"),
        ("v.v.", "vân vân"),
        ("mã 007", "mã không không bảy"),
        ("Điều 3.2", "Điều ba chấm hai"),
    ],
)
def test_rules(written: str, spoken: str) -> None:
    assert for_speech(written) == spoken


@pytest.mark.parametrize(("abbreviation", "expansion"), sorted(ABBREVIATIONS.items()))
def test_every_abbreviation_is_expanded_as_a_word(abbreviation: str, expansion: str) -> None:
    assert for_speech(f"({abbreviation})") == f"({expansion})"
    assert for_speech(f"x{abbreviation}") == f"x{abbreviation}"  # not inside another word


@pytest.mark.parametrize(("unit", "words"), sorted(UNITS.items()))
def test_every_unit_is_spoken_after_a_number(unit: str, words: str) -> None:
    assert for_speech(f"có 2{unit}.") == f"có hai {words}."


def test_ordinary_words_are_untouched() -> None:
    text = "Bà con khẩn trương di chuyển người, tài sản đến nơi an toàn; không qua ngầm, tràn."
    assert for_speech(text) == text
    assert for_speech(unicodedata.normalize("NFD", text)) == text  # output is NFC


def test_digits_words() -> None:
    assert digits_words("0912") == "không chín một hai"


def test_long_text_is_linear_enough() -> None:
    text = "Mực nước 10,52 m lúc 7h ngày 15/9, gọi 112. " * 400  # ~18,000 characters
    spoken = for_speech(text)
    assert "mười phẩy năm mươi hai mét" in spoken
    assert not re.search(r"\d", spoken)


SPEECH_TOKENS = st.sampled_from(
    [
        *"0123456789 ,./-–:h%°mkCIVX&()+",
        *["ngày ", "tháng ", "từ ", "cấp ", "báo động ", "gọi ", "số ", "thứ ", "km/h", "m3/s"],
        *["UBND", "BĐ", "TDP", "ATNĐ", "v.v.", "Hà Nội", "mưa", "ầ", "\u0301", "١", "²", "℃"],
    ]
)


@given(st.lists(SPEECH_TOKENS, max_size=20).map("".join) | st.text(max_size=40))
@example("cấp IV5")
@example("5cấp IV")
@example("1UBND")
@example("0.000.000.000")
def test_never_raises_has_no_digits_and_is_idempotent(text: str) -> None:
    spoken = for_speech(text)
    assert not re.search(r"\d", spoken)
    assert unicodedata.is_normalized("NFC", spoken)
    assert for_speech(spoken) == spoken
