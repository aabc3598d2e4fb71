"""CSV import of subscribers: all or nothing, per-row errors, hostile and oversized files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pctt.dispatch import imports
from pctt.dispatch.imports import ImportRefused, import_subscribers
from pctt.dispatch.models import Consent, Subscriber
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_valid_file_creates_subscribers_with_imported_consent() -> None:
    _commune, g1, _g2 = f.ward()
    data = _csv(
        "phone,email,group,lon,lat,channels,drills",
        f"0912 345 678,,{g1.code},105.005,21.005,,yes",
        f"+84 98 765 4321,b@example.org,{g1.code},,,sms;email,no",
        ",c@example.org,,,,,",
    )
    report = import_subscribers(b"\xef\xbb\xbf" + data)  # with a BOM, as Excel writes it
    assert report.created == 3 and report.ok
    first = Subscriber.objects.get(phone="+84912345678")
    assert first.residential_group == g1 and first.receives_drills and first.lon == 105.005
    assert Consent.objects.active().count() == 4
    assert set(Consent.objects.values_list("method", flat=True)) == {"import"}


def test_one_bad_row_imports_nothing_and_reports_each_line_without_the_number() -> None:
    data = _csv(
        "phone,email,group",
        "0912345678,,",
        "0241234567,,",  # landline
        "0912345679,not-an-email,",
        "0912345680,,NO-SUCH-GROUP",
        "0912345678,,",  # same person again
        ",,",
    )
    with pytest.raises(ImportRefused) as info:
        import_subscribers(data)
    lines = [(e.line, e.message) for e in info.value.report.errors]
    assert [line for line, _m in lines] == [3, 4, 5, 6, 7]
    assert "0241234567" not in str(lines)
    assert Subscriber.objects.count() == 0


def test_existing_numbers_are_skipped_not_duplicated() -> None:
    f.subscriber(phone="+84912345678")
    report = import_subscribers(_csv("phone", "0912345678", "0912345679"))
    assert (report.created, report.skipped) == (1, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00p\x00h",  # UTF-16
        b"phone\n0912345678\x00\n",
        b"name,address\nA,B\n",  # unknown columns
        b"phone,phone\n1,2\n",
        b"phone,email\n0912345678\n",  # short row
        b'phone\n"0912345678\n',  # unterminated quote
        b"phone\n" + b"9" * 600 + b"\n",  # oversized field
        b"phone,lon,lat\n0912345678,nan,inf\n",
        b"phone,drills\n0912345678,maybe\n",
        b"phone,channels\n0912345678,fax\n",
        b"phone,consent_date\n0912345678,2999-01-01\n",
        b"email\n=cmd|' /C calc'!A0\n",  # formula injection is just an invalid address
    ],
)
def test_malformed_and_hostile_files_are_refused_whole(data: bytes) -> None:
    with pytest.raises(ImportRefused):
        import_subscribers(data)
    assert Subscriber.objects.count() == 0


def test_oversized_file_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(ImportRefused):
        import_subscribers(b"phone\n" + b"0912345678\n" * 20)


def test_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [f"09123456{i:02d}" for i in range(5)]
    with pytest.raises(ImportRefused):
        import_subscribers(_csv("phone", *rows))


def test_command_imports_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(_csv("phone", "0912345678", "0912345679"))
    call_command("subscribers", "import", str(good))
    assert Subscriber.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("phone", "0912345670", "12"))
    with pytest.raises(CommandError):
        call_command("subscribers", "import", str(bad))
    assert " 3: " in capsys.readouterr().err  # "line 3: …" / "dòng 3: …"
    assert Subscriber.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("subscribers", "import", str(tmp_path / "missing.csv"))
