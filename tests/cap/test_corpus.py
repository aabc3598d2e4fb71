"""Every real message in shared/data/cap gets the outcome its SOURCES.md implies."""

import pytest
from lxml import etree

from pctt.cap import CapError, parse, to_xml, validate
from pctt.cap.geometry import parse_polygon
from pctt.cap.safe_xml import load
from pctt.cap.signature import check_signature, signature_elements

from .shared_data import CAP_DIR, cap_file

REJECTED = {
    "capparselib_sweden_krisinformation_schema_invalid.xml": "cap.xsd",
    "capparselib_wrong_namespace.xml": "cap.namespace",
    "google_invalid_missing_scope.xml": "cap.xsd",
    "google_nws_cap11_version_mismatch.xml": "cap.version",
    "google_xxe_xinclude_attack.xml": "xml.doctype",
    "wis2box_togo_missing_certainty.xml": "cap.xsd",
    "google_canada_errors_empty_references.xml": "cap.references.missing",
    "wis2box_togo_tampered_signature.xml": "cap.signature.value",
    "wis2box_togo_tampered_digest.xml": "cap.signature.digest",
}
ALL_FILES = sorted(path.name for path in CAP_DIR.glob("*.xml"))
ACCEPTED = [name for name in ALL_FILES if name not in REJECTED]
SIGNED_AND_VERIFIED = [
    "capparselib_athoc_cancel_no_info.xml",
    "capparselib_canada_naad_en_fr_signed.xml",
    "capparselib_philippines_pagasa_test.xml",
    "google_canada_ec_signed_update.xml",
    "google_usgs_earthquake_iso8859-1.xml",
    "oasiscap_ipaws_adr_test_audio_deref.xml",
    "oasiscap_ipaws_cancel.xml",
    "oasiscap_ipaws_montgomery_polygon_image.xml",
    "wis2box_seychelles_signed_valid.xml",
    "wis2box_togo_fr_signed_valid.xml",
]


def test_the_corpus_is_all_there():
    assert len(ALL_FILES) == 35


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_messages_are_accepted(name):
    report = validate(cap_file(name))
    assert report.valid, report.errors
    assert report.alerts


@pytest.mark.parametrize(("name", "rule"), sorted(REJECTED.items()))
def test_invalid_messages_are_rejected_for_the_right_rule(name, rule):
    report = validate(cap_file(name))
    assert not report.valid
    assert rule in {issue.rule for issue in report.errors}


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_messages_round_trip_through_the_writer(name):
    alerts = parse(cap_file(name)).alerts
    for alert in alerts:
        rewritten = to_xml(alert)
        assert parse(rewritten).alerts == (alert,)
        assert validate(rewritten).valid or alert.foreign_elements


@pytest.mark.parametrize("name", SIGNED_AND_VERIFIED)
def test_signed_messages_verify_with_the_embedded_key(name):
    report = validate(cap_file(name))
    assert report.signatures and set(report.signatures) == {"valid"}
    assert "cap.signature.untrusted" in {issue.rule for issue in report.warnings}


def test_trusted_certificate_removes_the_unverified_key_warning():
    data = cap_file("oasiscap_ipaws_cancel.xml")

    der = check_signature(signature_elements(load(data))[0]).certificate_der
    assert der is not None
    report = validate(data, trusted_certificates={der})
    assert "cap.signature.untrusted" not in {issue.rule for issue in report.warnings}


def test_signature_element_is_written_back_verbatim():
    alert = parse(cap_file("oasiscap_ipaws_cancel.xml")).alerts[0]
    assert len(alert.foreign_elements) == 1
    rewritten = to_xml(alert)
    # The bytes come back identical once parsed again (namespace declarations may move up).
    assert parse(rewritten).alerts[0].foreign_elements == alert.foreign_elements
    assert b"dstYURn0dzGTrLFNhJshao9WB2HEmxcWANETGqmzcFSCBcsrbTJMdEc6Ls" in rewritten


def test_unsigned_and_placeholder_signatures_are_not_errors():
    assert validate(cap_file("oasis_spec_a2_severe_thunderstorm.xml")).signatures == ()
    report = validate(cap_file("oasiscap_ntwc_tsunami_cancellation_update.xml"))
    assert report.valid
    assert report.signatures == ("unsupported",)


def test_smhi_container_is_split_into_its_17_alerts():
    result = parse(cap_file("capparselib_smhi_alerts_container.xml"))
    assert result.container
    assert len(result.alerts) == 17
    assert len({alert.identifier for alert in result.alerts}) == 17
    report = validate(cap_file("capparselib_smhi_alerts_container.xml"))
    assert report.container and "cap.container" in {i.rule for i in report.warnings}


def test_edxl_envelope_yields_the_alert_inside():
    result = parse(cap_file("capparselib_australia_rfs_circle.xml"))
    assert result.container
    assert len(result.alerts) == 1
    assert result.alerts[0].infos[0].areas[0].circles


def test_cap_11_is_named_as_such():
    with pytest.raises(CapError) as caught:
        parse(cap_file("google_nws_cap11_version_mismatch.xml"))
    assert caught.value.rule == "cap.version"
    assert "CAP 1.1; pctt accepts CAP 1.2" in caught.value.issues[0].message_en
    assert "CAP 1.1" in caught.value.issues[0].message_vi


def test_iso_8859_1_and_bom_files_decode_to_text():
    quake = parse(cap_file("google_usgs_earthquake_iso8859-1.xml")).alerts[0]
    assert quake.identifier.startswith("USGS-earthquakes")
    taiwan = parse(cap_file("capparselib_taiwan_wra_reservoir_bom.xml")).alerts[0]
    assert any("水庫" in (info.event + (info.headline or "")) for info in taiwan.infos)


def test_minus_zero_utc_is_accepted_as_utc():
    alert = parse(cap_file("capparselib_australia_rfs_circle.xml")).alerts[0]
    assert alert.sent.utcoffset() is not None
    assert alert.sent.utcoffset().total_seconds() == 0


def test_schema_errors_carry_line_numbers_and_both_languages():
    report = validate(cap_file("wis2box_togo_missing_certainty.xml"))
    xsd = [issue for issue in report.errors if issue.rule == "cap.xsd"]
    assert xsd and xsd[0].line == 16
    assert xsd[0].message_vi.startswith("Sai lược đồ")


def test_the_41k_vertex_polygon_is_kept_whole():
    alert = parse(cap_file("wis2box_burkina_faso_41k_vertex_polygon.xml")).alerts[0]

    assert len(parse_polygon(alert.infos[0].areas[0].polygons[0])) > 41_000


@pytest.mark.parametrize("name", ["oasiscap_ipaws_cancel.xml", "wis2box_togo_fr_signed_valid.xml"])
def test_editing_signed_content_breaks_the_digest(name):
    data = cap_file(name).replace(b"<status>Actual</status>", b"<status>Test</status>")
    report = validate(data)
    assert [issue.rule for issue in report.errors] == ["cap.signature.digest"]


def test_utf16_documents_are_read():
    text = cap_file("oasis_spec_a2_severe_thunderstorm.xml").decode("utf-8")
    text = text.replace('encoding = "UTF-8"', 'encoding = "UTF-16"')
    assert 'encoding = "UTF-16"' in text
    alert = parse(text.encode("utf-16")).alerts[0]
    assert alert.identifier == "KSTO1055887203"


PARALLEL_SIGNED = ["google_canada_ec_signed_update.xml", "capparselib_canada_naad_en_fr_signed.xml"]


@pytest.mark.parametrize("name", PARALLEL_SIGNED)
def test_parallel_signatures_each_verify_and_are_reported_as_relaxed(name):
    report = validate(cap_file(name))
    assert report.signatures == ("valid", "valid")
    relaxed = [issue for issue in report.warnings if issue.rule == "cap.signature.relaxed"]
    assert relaxed and "parallel signatures" in relaxed[0].message_en


@pytest.mark.parametrize("name", PARALLEL_SIGNED)
def test_editing_a_parallel_signed_message_breaks_every_signature(name):
    data = cap_file(name).replace(b"<status>Actual</status>", b"<status>Test</status>")
    assert data != cap_file(name)
    report = validate(data)
    assert report.signatures == ("digest_mismatch", "digest_mismatch")
    assert [issue.rule for issue in report.errors] == ["cap.signature.digest"]


def test_one_of_two_parallel_signatures_alone_verifies_strictly():
    # Each Environment Canada signature was computed before the other was added: without the
    # second one, the first signs exactly the document that remains.
    root = load(cap_file("google_canada_ec_signed_update.xml"))
    _, second = signature_elements(root)
    root.remove(second)
    report = validate(etree.tostring(root.getroottree()))
    assert report.signatures == ("valid",)
    assert "cap.signature.relaxed" not in {issue.rule for issue in report.warnings}
