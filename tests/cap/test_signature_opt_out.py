"""validate() verifies XML signatures unless the caller explicitly opts out."""

import pytest

from pctt.cap import validate

from .shared_data import CAP_DIR, cap_file

ALL_FILES = sorted(path.name for path in CAP_DIR.glob("*.xml"))
TAMPERED = {
    "wis2box_togo_tampered_digest.xml": "cap.signature.digest",
    "wis2box_togo_tampered_signature.xml": "cap.signature.value",
}


@pytest.mark.parametrize(("name", "rule"), TAMPERED.items())
def test_tampered_signatures_are_errors_by_default(name, rule):
    report = validate(cap_file(name))

    assert not report.valid
    assert [issue.rule for issue in report.errors] == [rule]


@pytest.mark.parametrize("name", TAMPERED)
def test_opting_out_skips_only_the_signature_cryptography(name):
    report = validate(cap_file(name), verify_signatures=False)

    assert report.signatures == ()
    assert not any(issue.rule.startswith("cap.signature") for issue in report.errors)
    assert len(report.alerts) == 1
    # The CAP rules still ran.
    assert "profile.headline.missing" in {issue.rule for issue in report.warnings}


def test_opting_out_keeps_schema_errors_of_a_signed_message():
    report = validate(cap_file("wis2box_togo_missing_certainty.xml"), verify_signatures=False)

    assert [issue.rule for issue in report.errors] == ["cap.xsd"]
    assert report.signatures == ()


@pytest.mark.parametrize("name", ALL_FILES)
def test_opting_out_changes_nothing_but_the_signature_outcomes(name):
    data = cap_file(name)
    full = validate(data)
    quick = validate(data, verify_signatures=False)

    def without_signatures(issues):
        return [issue for issue in issues if not issue.rule.startswith("cap.signature")]

    assert quick.errors == tuple(without_signatures(full.errors))
    assert quick.warnings == tuple(without_signatures(full.warnings))
    assert quick.alerts == full.alerts
    assert quick.container == full.container
