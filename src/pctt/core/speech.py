"""Vietnamese text normalisation for speech: what a loudspeaker or a synthesiser must say.

Pure Python, no Django import. :func:`for_speech` writes out numbers, decimals, dates, times,
ranges, units, Roman numerals, phone numbers and the domain's abbreviations in Vietnamese words::

    for_speech("Mực nước lúc 7h ngày 15/9 là 10,52 m, trên BĐ2 0,02 m")
    == "Mực nước lúc bảy giờ ngày mười lăm tháng chín là mười phẩy năm mươi hai mét, "
       "trên báo động hai không phẩy không hai mét"

Conventions (northern standard, see docs/speech.md):

* 0 in the tens place after hundreds is "linh" (105 "một trăm linh năm"), not "lẻ";
* 1 after "mươi" is "mốt" (21 "hai mươi mốt"), 4 after "mươi" is "tư" (24 "hai mươi tư"),
  5 after "mười"/"mươi" is "lăm" (15 "mười lăm", 25 "hai mươi lăm"); 14 stays "mười bốn";
* 1000 is "nghìn", 10^9 "tỷ"; inner groups read their hundreds ("hai nghìn không trăm hai mươi
  sáu");
* the decimal comma is "phẩy"; one or two decimals without a leading zero are read as a number
  ("10,52" "mười phẩy năm mươi hai"), others digit by digit ("0,025" "không phẩy không hai năm");
  a dot between groups of three digits is a thousands separator ("1.200");
* April is "tháng tư", ordinals after "thứ" are "nhất" and "tư" for 1 and 4.

Rules that need digits run after the abbreviations and Roman numerals, and their output has no
digits, so applying :func:`for_speech` to its own output changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Final

from pctt.core.text import nfc

__all__ = ["ABBREVIATIONS", "UNITS", "digits_words", "for_speech", "integer_words"]

# The domain's abbreviations, spelled out. Case-sensitive; matched as whole words (a digit may
# follow: "BĐ2"). Add an entry here and a sentence to tests/core/test_speech.py.
ABBREVIATIONS: Final[Mapping[str, str]] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "PCTT": "phòng, chống thiên tai",
    "TKCN": "tìm kiếm cứu nạn",
    "PCCC": "phòng cháy, chữa cháy",
    "CNCH": "cứu nạn, cứu hộ",
    "BCH": "Ban Chỉ huy",
    "BCĐ": "Ban Chỉ đạo",
    "MTTQ": "Mặt trận Tổ quốc",
    "KTTV": "khí tượng thủy văn",
    "ATNĐ": "áp thấp nhiệt đới",
    "BĐ": "báo động",
    "BĐI": "báo động một",
    "BĐII": "báo động hai",
    "BĐIII": "báo động ba",
    "TDP": "tổ dân phố",
    "KDC": "khu dân cư",
    "HTX": "hợp tác xã",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "TW": "Trung ương",
    "BĐBP": "Bộ đội Biên phòng",
    "QĐ": "quyết định",
    "TP.": "thành phố",
    "TP": "thành phố",
    "QL": "quốc lộ",
    "TL": "tỉnh lộ",
    "SĐT": "số điện thoại",
    "v.v.": "vân vân",
}

# Units after a number, spelled out; "m³" and "℃" reach here as "m3" and "°C" (NFKC).
UNITS: Final[Mapping[str, str]] = {
    "mm": "mi li mét",
    "cm": "xen ti mét",
    "m": "mét",
    "km": "ki lô mét",
    "m2": "mét vuông",
    "km2": "ki lô mét vuông",
    "m3": "mét khối",
    "ha": "héc ta",
    "km/h": "ki lô mét trên giờ",
    "m/s": "mét trên giây",
    "m3/s": "mét khối trên giây",
    "mm/h": "mi li mét trên giờ",
    "cm/h": "xen ti mét trên giờ",
    "m/h": "mét trên giờ",
    "°C": "độ xê",
    "°": "độ",
    "%": "phần trăm",
    "hPa": "héc tô pa xcan",
    "kg": "ki lô gam",
    "đ": "đồng",
    "VNĐ": "đồng",
}

_DIGIT_WORDS: Final = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Units digit after "mươi" (20-99) and after "mười" (10-19) where it is not the plain word.
_AFTER_MUOI: Final = {1: "mốt", 4: "tư", 5: "lăm"}
_AFTER_MUOI_TEN: Final = {5: "lăm"}
_SCALES: Final = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))
_MAX_READ_DIGITS: Final = 15  # longer digit strings are read digit by digit
_ROMAN: Final = {"I": 1, "V": 5, "X": 10}


def _below_thousand(n: int, *, inner: bool) -> list[str]:
    """Words for 0 < n < 1000; ``inner`` groups (after "nghìn", "triệu" …) read their hundreds."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
        if units:
            words.append(_DIGIT_WORDS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append(_AFTER_MUOI_TEN.get(units, _DIGIT_WORDS[units]))
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
        if units:
            words.append(_AFTER_MUOI.get(units, _DIGIT_WORDS[units]))
    return words


def _integer_words(n: int, *, inner: bool) -> list[str]:
    for scale, name in _SCALES:
        if n >= scale:
            high, low = divmod(n, scale)
            words = [*_integer_words(high, inner=inner), name]
            return words + _integer_words(low, inner=True) if low else words
    return _below_thousand(n, inner=inner)


def integer_words(n: int) -> str:
    """``105`` -> ``"một trăm linh năm"``, ``2026`` -> ``"hai nghìn không trăm hai mươi sáu"``."""
    if n < 0:
        return "âm " + integer_words(-n)
    return " ".join(_integer_words(n, inner=False)) if n else "không"


def digits_words(digits: str) -> str:
    """Digit by digit: ``"112"`` -> ``"một một hai"``; anything but ASCII digits is dropped."""
    return " ".join(_DIGIT_WORDS[int(d)] for d in digits if "0" <= d <= "9")


def _digit_string_words(digits: str) -> str:
    """A run of digits as written: a leading zero or a very long run is read digit by digit."""
    if (len(digits) > 1 and digits[0] == "0") or len(digits) > _MAX_READ_DIGITS:
        return digits_words(digits)
    return integer_words(int(digits))


def _fraction_words(digits: str) -> str:
    if len(digits) <= 2 and digits[0] != "0":
        return integer_words(int(digits))
    return digits_words(digits)


def _number_words(written: str) -> str:
    """A number as written in Vietnamese: ``"1.200"``, ``"10,52"``, ``"-5"``, ``"3.2"``."""
    sign = ""
    if written[0] in "-−":
        sign, written = "âm ", written[1:]
    whole, _, fraction = written.partition(",")
    if _THOUSANDS.fullmatch(whole):
        spoken = _digit_string_words(whole.replace(".", ""))
    else:
        spoken = " chấm ".join(_digit_string_words(part) for part in whole.split("."))
    if fraction:
        spoken += " phẩy " + _fraction_words(fraction)
    return sign + spoken


# ---------------------------------------------------------------------------------------------
# Patterns. Each rule below needs at least one digit and writes words without digits.

_THOUSANDS: Final = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_NUM: Final = r"(?:[1-9]\d{0,2}(?:\.\d{3})+(?![\d]|\.\d)|\d+(?:\.\d+)*)(?:,\d+)?"
_NOT_AFTER: Final = r"(?<![\w.,])"  # a number starts at a word boundary, not inside another
_NOT_BEFORE: Final = r"(?![\d])"


def _unit_alternation() -> str:
    # Longest first so "m3/s" wins over "m3" and "m"; a unit ending in a letter or digit must
    # not run on into a word ("5 mẫu", "10 mét" are not units).
    return "|".join(
        re.escape(unit) + (r"(?![^\W_])" if unit[-1].isalnum() else "")
        for unit in sorted(UNITS, key=len, reverse=True)
    )


_UNIT: Final = rf"(?:{_unit_alternation()})"
_DAY: Final = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH: Final = r"(?:0?[1-9]|1[0-2])"
_HOUR: Final = r"(?:[01]?\d|2[0-4])"
_MINUTE: Final = r"[0-5]\d"
_TIME: Final = (
    rf"{_HOUR}(?::{_MINUTE}(?::{_MINUTE})?|\s?[hg](?:\s?{_MINUTE}(?:'|ph(?![^\W_])|p(?![^\W_]))?"
    rf"|(?![^\W_])))"
)

_PHONE_KEYWORD: Final = re.compile(
    r"(?<!\w)(?P<keyword>(?i:đường dây nóng|số điện thoại|điện thoại|hotline|tổng đài"
    r"|gọi(?: số)?|số))(?P<gap>\s*:?\s*)"
    r"(?P<numbers>\+?\d+(?:[ .\-]\d{3,4})*(?:\s*(?:hoặc|/|,)\s*\+?\d+(?:[ .\-]\d{3,4})*)*)"
    r"(?![\d,]\d)"
)
_PHONE: Final = re.compile(
    r"(?<![\w+.,])(?:\+84[ .\-]?|0)[1-9]\d{1,2}(?:[ .\-]?\d){6,8}(?![\d.,]\d|\d)",
)
_DATE_RANGE: Final = re.compile(
    rf"{_NOT_AFTER}(?P<first>{_DAY})\s?[-–]\s?(?P<last>{_DAY})/(?P<month>{_MONTH})"
    rf"(?:/(?P<year>\d{{4}}))?(?![\d/])"
)
_FULL_DATE: Final = re.compile(
    rf"{_NOT_AFTER}(?P<day>{_DAY})(?P<sep>[/.\-])(?P<month>{_MONTH})(?P=sep)(?P<year>\d{{4}})"
    rf"{_NOT_BEFORE}"
)
_SHORT_DATE: Final = re.compile(rf"{_NOT_AFTER}(?P<day>{_DAY})/(?P<month>{_MONTH})(?![\d/])(?!,\d)")
_MONTH_YEAR: Final = re.compile(rf"{_NOT_AFTER}(?P<month>{_MONTH})/(?P<year>\d{{4}}){_NOT_BEFORE}")
_TIME_RANGE: Final = re.compile(rf"{_NOT_AFTER}(?P<first>{_TIME})\s?[-–]\s?(?P<last>{_TIME})")
_CLOCK: Final = re.compile(rf"{_NOT_AFTER}(?P<time>{_TIME})")
_RANGE: Final = re.compile(
    rf"{_NOT_AFTER}(?P<low>{_NUM})(?:\s?(?P<low_unit>{_UNIT}))?\s?[-–]\s?"
    rf"(?P<high>{_NUM})(?:\s?(?P<high_unit>{_UNIT}))?{_NOT_BEFORE}"
)
_QUANTITY: Final = re.compile(
    rf"(?P<sign>(?<![^\s(\[])[-−])?{_NOT_AFTER}(?P<number>{_NUM})(?:\s?(?P<unit>{_UNIT}))?"
)
_LEFTOVER_DIGITS: Final = re.compile(r"\d+")
_LAST_WORD: Final = re.compile(r"([^\W\d_]+)\s*$")
_ROMAN_AFTER: Final = re.compile(
    r"(?<![^\W\d_])(?P<keyword>(?i:cấp độ|cấp|báo động|mức))(?P<gap>\s+)(?P<roman>[IVX]+)"
    r"(?![^\W\d_])"
)
_AMPERSAND: Final = re.compile(r"\s*&\s*")
_ABBREVIATION: Final = re.compile(
    r"(?<![^\W\d_])(?P<abbreviation>"
    + "|".join(re.escape(key) for key in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![^\W\d_])"
)
_EMERGENCY_CODES: Final = frozenset({"111", "112", "113", "114", "115", "116"})
_STRONG_PHONE_KEYWORDS: Final = frozenset(
    {"đường dây nóng", "số điện thoại", "điện thoại", "hotline", "tổng đài"}
)


# ---------------------------------------------------------------------------------------------
# Helpers for the replacement functions.


def _word_before(match: re.Match[str]) -> str:
    """The word just before the match, lowercased, if only spaces separate them (else "")."""
    # A short window: searching from 0 would make long texts quadratic.
    word = _LAST_WORD.search(match.string, max(0, match.start() - 32), match.start())
    return word[1].casefold() if word else ""


def _spaced(match: re.Match[str], words: str) -> str:
    """``words`` with a space added where the match touched a letter ("QL1A" -> "… một A")."""
    text = match.string
    if match.start() > 0 and text[match.start() - 1].isalnum():
        words = " " + words
    if match.end() < len(text) and text[match.end()].isalnum():
        words += " "
    return words


def _month_words(month: str) -> str:
    value = int(month)
    return "tư" if value == 4 else integer_words(value)


def _date_words(day: str | None, month: str, year: str | None, *, say_day: bool) -> str:
    words = []
    if day is not None:
        words.append(("ngày " if say_day else "") + integer_words(int(day)))
    words.append("tháng " + _month_words(month))
    if year is not None:
        words.append("năm " + integer_words(int(year)))
    return " ".join(words)


def _time_words(written: str) -> str:
    """``"17h30"``, ``"17:30:15"`` -> hours, minutes, seconds; a zero part is not said."""
    parts = [int(part) for part in re.findall(r"\d+", written)]
    words = [integer_words(parts[0]) + " giờ"]
    for value, name in zip(parts[1:], ("phút", "giây"), strict=False):
        if value:
            words.append(f"{integer_words(value)} {name}")
    return " ".join(words)


def _quantity_words(number: str, unit: str | None, *, before: str) -> str:
    if before == "thứ" and number in ("1", "4"):
        spoken = "nhất" if number == "1" else "tư"
    elif before == "tháng" and number in ("4", "04"):
        spoken = "tư"
    else:
        spoken = _number_words(number)
    return spoken + (" " + UNITS[unit] if unit else "")


def _is_phone(digits: str, keyword: str) -> bool:
    plain = re.sub(r"\D", "", digits)
    if keyword in _STRONG_PHONE_KEYWORDS:
        return len(plain) >= 3
    return (
        digits.startswith(("0", "+"))
        or plain in _EMERGENCY_CODES
        or plain.startswith(("1800", "1900"))
        or len(plain) >= 6
    )


def _phone_words(written: str) -> str:
    """Digit by digit, a pause between the groups as written ("0912 345 678").

    Ten digits written as one run are grouped 4-3-3, the way mobile numbers are read out.
    """
    plus = "cộng " if written.startswith("+") else ""
    groups = [group for group in re.split(r"[ .\-]+", written.lstrip("+")) if group]
    if len(groups) == 1 and len(groups[0]) == 10:
        groups = [groups[0][:4], groups[0][4:7], groups[0][7:]]
    return plus + ", ".join(digits_words(group) for group in groups)


# ---------------------------------------------------------------------------------------------
# Replacement functions, one per rule.


def _abbreviation(match: re.Match[str]) -> str:
    return _spaced(match, ABBREVIATIONS[match["abbreviation"]])


def _roman_value(numeral: str) -> int | None:
    total = 0
    for index, letter in enumerate(numeral):
        value = _ROMAN[letter]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if 0 < total <= 20 and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    tens, units = divmod(n, 10)
    return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[units]


def _roman(match: re.Match[str]) -> str:
    value = _roman_value(match["roman"])
    if value is None:
        return match[0]
    return match["keyword"] + match["gap"] + integer_words(value)


def _keyword_phone(match: re.Match[str]) -> str:
    keyword = match["keyword"].casefold()
    parts = re.split(r"(\s*(?:hoặc|/|,)\s*)", match["numbers"])
    if not _is_phone(parts[0], keyword):
        return match[0]
    spoken = [
        part
        if index % 2
        else (_phone_words(part) if _is_phone(part, keyword) else _number_words(part))
        for index, part in enumerate(parts)
    ]
    text, end = match.string, match.end()
    after = " " if end < len(text) and text[end].isalnum() else ""
    return match["keyword"] + match["gap"] + "".join(spoken) + after


def _phone(match: re.Match[str]) -> str:
    return _spaced(match, _phone_words(match[0]))


def _date_range(match: re.Match[str]) -> str:
    before = _word_before(match)
    first = integer_words(int(match["first"]))
    last = _date_words(match["last"], match["month"], match["year"], say_day=True)
    if before != "ngày":  # "15-17/9" -> "từ ngày mười lăm đến ngày mười bảy tháng chín"
        first = ("" if before == "từ" else "từ ") + "ngày " + first
    return _spaced(match, f"{first} đến {last}")


def _full_date(match: re.Match[str]) -> str:
    say_day = _word_before(match) != "ngày"
    words = _date_words(match["day"], match["month"], match["year"], say_day=say_day)
    return _spaced(match, words)


def _short_date(match: re.Match[str]) -> str:
    say_day = _word_before(match) != "ngày"
    return _spaced(match, _date_words(match["day"], match["month"], None, say_day=say_day))


def _month_year(match: re.Match[str]) -> str:
    words = _date_words(None, match["month"], match["year"], say_day=False)
    if _word_before(match) == "tháng":
        words = words.removeprefix("tháng ")
    return _spaced(match, words)


def _time_range(match: re.Match[str]) -> str:
    prefix = "" if _word_before(match) == "từ" else "từ "
    return _spaced(match, f"{prefix}{_time_words(match['first'])} đến {_time_words(match['last'])}")


def _clock(match: re.Match[str]) -> str:
    return _spaced(match, _time_words(match["time"]))


def _range(match: re.Match[str]) -> str:
    before = _word_before(match)
    low = _quantity_words(match["low"], match["low_unit"], before=before)
    high = _quantity_words(match["high"], match["high_unit"], before="")
    if before == "cấp":  # "gió giật cấp 10-11": "cấp mười đến cấp mười một"
        return _spaced(match, f"{low} đến cấp {high}")
    prefix = "" if before == "từ" else "từ "
    return _spaced(match, f"{prefix}{low} đến {high}")


def _quantity(match: re.Match[str]) -> str:
    number = (match["sign"] or "") + match["number"]
    return _spaced(match, _quantity_words(number, match["unit"], before=_word_before(match)))


def _leftover(match: re.Match[str]) -> str:
    return _spaced(match, _digit_string_words(match[0]))


def _ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, Devanagari …) as its ASCII digit."""
    return re.sub(r"\d", lambda match: str(unicodedata.decimal(match[0])), text)


_RULES: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]] = (
    (_ABBREVIATION, _abbreviation),
    (_ROMAN_AFTER, _roman),
    # From here on every rule needs a digit, so the output of one is never input to another.
    (_PHONE_KEYWORD, _keyword_phone),
    (_PHONE, _phone),
    (_DATE_RANGE, _date_range),
    (_FULL_DATE, _full_date),
    (_MONTH_YEAR, _month_year),
    (_SHORT_DATE, _short_date),
    (_TIME_RANGE, _time_range),
    (_CLOCK, _clock),
    (_RANGE, _range),
    (_QUANTITY, _quantity),
    (_LEFTOVER_DIGITS, _leftover),
)


def for_speech(text: str) -> str:
    """``text`` as it must be spoken, in NFC, with no decimal digit left.

    Compatibility characters are folded first (NFKC: "m³" -> "m3", "℃" -> "°C", full-width
    digits -> ASCII); ordinary words are left as they are.
    """
    spoken = _ascii_digits(unicodedata.normalize("NFKC", text))
    spoken = _AMPERSAND.sub(" và ", spoken)
    for pattern, replacement in _RULES:
        spoken = pattern.sub(replacement, spoken)
    return nfc(spoken)
