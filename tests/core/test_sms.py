"""SMS accounting (pctt.core.sms) and `pctt sms preview` (pctt.core.cli_sms)."""

from __future__ import annotations

import io
import json
import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pctt.core.cli_sms import MAX_TEXT_CHARS, main
from pctt.core.sms import analyse, preview, split
from pctt.core.text import nfc, strip_diacritics

EXTENSION = "\f^{}\\[]~|€"
VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("text", "encoding", "length", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # every extension character counts 2 septets
        ("a" * 159 + "€", "GSM-7", 161, 2),
        ("a" * 158 + "[", "GSM-7", 160, 1),
        (EXTENSION, "GSM-7", 20, 1),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", "GSM-7", 42, 1),
        ("Mua lon, nuoc song dang len. Goi 112!", "GSM-7", 37, 1),
        ("ầ" * 70, "UCS-2", 70, 1),
        ("ầ" * 71, "UCS-2", 71, 2),
        ("ầ" * 134, "UCS-2", 134, 2),
        ("ầ" * 135, "UCS-2", 135, 3),
        ("CẢNH BÁO LŨ QUÉT", "UCS-2", 16, 1),  # uppercase Vietnamese: Á, Ả, Ũ are not GSM
        ("ç", "UCS-2", 1, 1),  # only the capital Ç is in the GSM alphabet
        ("😀", "UCS-2", 2, 1),  # astral: a surrogate pair, two code units
        ("😀" * 35, "UCS-2", 70, 1),
        ("😀" * 36, "UCS-2", 72, 2),
        ("Sơ tán ngay 🌊", "UCS-2", 14, 1),
    ],
)
def test_known_vectors(text: str, encoding: str, length: int, segments: int) -> None:
    info = analyse(text)
    assert (info.encoding, info.length, info.segments) == (encoding, length, segments)
    assert len(split(text)) == segments


def test_escape_pair_is_not_split_at_the_153_boundary() -> None:
    # 152 + 2 + 152 = 306 septets: ceil(306 / 153) = 2, but "€" cannot straddle septets 153/154,
    # so the first segment holds 152 and the message needs 3.
    text = "a" * 152 + "€" + "b" * 152
    info = analyse(text)
    assert (info.length, info.segments) == (306, 3)
    assert split(text) == ["a" * 152, "€" + "b" * 151, "b"]


def test_escape_pair_that_fits_stays_in_the_segment() -> None:
    text = "a" * 151 + "€" + "b" * 153
    assert [len(segment) for segment in split(text)] == [152, 153]
    assert analyse(text).segments == 2


def test_surrogate_pair_is_not_split_at_the_67_boundary() -> None:
    text = "a" * 66 + "😀" + "b" * 66  # 134 code units, ceil(134 / 67) = 2, honestly 3
    info = analyse(text)
    assert (info.encoding, info.length, info.segments) == ("UCS-2", 134, 3)
    assert split(text) == ["a" * 66, "😀" + "b" * 65, "b"]


def test_nfd_input_counts_as_nfc() -> None:
    text = "Mưa lớn, lũ quét và sạt lở đất ở vùng núi Thừa Thiên Huế"
    assert analyse(nfd(text)) == analyse(text)
    assert analyse(nfd(text)).text == text
    assert analyse(nfd("è")).encoding == "GSM-7"  # NFD "e" + U+0300 composes to GSM "è"


def test_preview_shape_and_ascii_variant() -> None:
    result = preview("Đê sông Hồng: BĐ3, sơ tán ngay!")
    assert result == {
        "encoding": "UCS-2",
        "length": 31,
        "segments": 1,
        "ascii": {
            "text": "De song Hong: BD3, so tan ngay!",
            "encoding": "GSM-7",
            "length": 31,
            "segments": 1,
        },
    }


def test_preview_of_a_long_vietnamese_warning() -> None:
    warning = (
        "UBND phường cảnh báo: mực nước sông Hồng đang lên nhanh, dự báo vượt báo động 3 "
        "lúc 17h hôm nay. Các hộ ở TDP 1, 2, 5 ven sông di chuyển đến điểm sơ tán tại "
        "trường THCS trước 16h. Đường dây nóng: 112."
    )
    result = preview(warning)
    assert result["encoding"] == "UCS-2"
    assert result["segments"] == math.ceil(len(warning) / 67)
    assert result["ascii"]["encoding"] == "GSM-7"
    assert result["ascii"]["segments"] == 2


@given(st.text())
def test_never_raises_and_split_rebuilds_the_nfc_text(text: str) -> None:
    info = analyse(text)
    parts = split(text)
    assert "".join(parts) == nfc(text) == info.text
    assert len(parts) == info.segments
    assert (info.segments >= 1) == bool(info.text)


def _units(segment: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return len(segment) + sum(segment.count(ch) for ch in EXTENSION)
    return len(segment.encode("utf-16-le", "surrogatepass")) // 2


@given(st.text(alphabet=st.sampled_from([*"ab€[ ~", "ầ", "😀"]), max_size=600))
def test_every_segment_fits_its_capacity(text: str) -> None:
    info = analyse(text)
    capacity = {"GSM-7": (160, 153), "UCS-2": (70, 67)}[info.encoding]
    limit = capacity[0] if info.segments == 1 else capacity[1]
    assert all(_units(segment, info.encoding) <= limit for segment in split(text))
    assert sum(_units(segment, info.encoding) for segment in split(text)) == info.length
    assert info.segments >= math.ceil(info.length / limit)


@given(
    st.text(alphabet=st.sampled_from(list(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()))),
    st.sampled_from([" ", ", ", ". ", "! ", ": ", "\n"]),
)
def test_vietnamese_without_diacritics_is_gsm7(text: str, separator: str) -> None:
    message = separator.join([text, nfd(text), "Đ đ"])
    result = preview(message)
    assert result["ascii"]["text"] == strip_diacritics(nfc(message))
    assert result["ascii"]["encoding"] == "GSM-7"


# ---- pctt sms preview ----------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--json", "Mưa lớn"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "encoding": "UCS-2",
        "length": 7,
        "segments": 1,
        "ascii": {"text": "Mua lon", "encoding": "GSM-7", "length": 7, "segments": 1},
    }


def test_cli_human_summary_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "Sơ tán ngay"]) == 0
    out = capsys.readouterr().out
    assert "Có dấu:    UCS-2, 11 đơn vị UTF-16, 1 tin nhắn" in out
    assert "Không dấu: GSM-7, 11 ký tự 7-bit, 1 tin nhắn" in out
    assert "So tan ngay" in out


def test_cli_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, nfd("Lũ quét\n").encode())
    assert main(["preview", "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["length"], result["ascii"]["text"]) == (7, "Lu quet")


def test_cli_rejects_oversized_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "a" * (MAX_TEXT_CHARS + 1)]) == 2
    assert "vượt giới hạn 10.000 ký tự" in capsys.readouterr().err


def test_cli_accepts_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--json", "a" * MAX_TEXT_CHARS]) == 0
    assert json.loads(capsys.readouterr().out)["segments"] == math.ceil(MAX_TEXT_CHARS / 153)


@pytest.mark.parametrize("data", [b"a" * (MAX_TEXT_CHARS + 1), "ầ".encode() * 20_000])
def test_cli_rejects_oversized_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    _stdin(monkeypatch, data)
    assert main(["preview", "-"]) == 2
    assert "giới hạn" in capsys.readouterr().err


def test_cli_rejects_invalid_utf8(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"M\xffa")
    assert main(["preview", "-"]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["preview"])
    assert exit_info.value.code == 2
