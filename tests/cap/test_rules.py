"""Each rule the XSD cannot express, on a small message that breaks just that rule."""

import pytest

from pctt.cap import RULES, validate

ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>pctt@phuong.example.vn</sender>
  <sent>2024-09-07T10:00:00+07:00</sent>
  <status>Actual</status>
  <msgType>{msg_type}</msgType>
  <scope>{scope}</scope>{references}
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Bão số 3 (Yagi)</event>
    <urgency>{urgency}</urgency>
    <severity>Extreme</severity>
    <certainty>Likely</certainty>
    <onset>2024-09-07T12:00:00+07:00</onset>
    <expires>{expires}</expires>
    <headline>{headline}</headline>
    <description>Bão mạnh cấp 14.</description>
    <area>
      <areaDesc>Phường Hồng Hải</areaDesc>
      <polygon>{polygon}</polygon>
      <circle>{circle}</circle>
    </area>
  </info>
</alert>"""

GOOD = {
    "identifier": "PCTT-2024-0001",
    "msg_type": "Alert",
    "scope": "Public",
    "references": "",
    "urgency": "Immediate",
    "expires": "2024-09-08T12:00:00+07:00",
    "headline": "Bão số 3 đổ bộ Quảng Ninh",
    "polygon": "20.9,107.0 21.0,107.0 21.0,107.1 20.9,107.0",
    "circle": "20.95,107.05 10",
}


def _report(**changes):
    return validate(ALERT.format(**{**GOOD, **changes}).encode())


def _rules(report):
    return {issue.rule for issue in report.errors} | {issue.rule for issue in report.warnings}


def test_the_good_message_is_clean():
    report = _report()
    assert report.valid
    assert report.warnings == ()
    assert report.alerts[0].infos[0].event == "Bão số 3 (Yagi)"


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"identifier": "PCTT 1"}, "cap.identifier.chars"),
        ({"identifier": "PCTT,1"}, "cap.identifier.chars"),
        ({"identifier": "PCTT&amp;1"}, "cap.identifier.chars"),
        ({"expires": "2024-09-07T11:00:00+07:00"}, "cap.expires.order"),
        ({"polygon": "20.9,107.0 21.0,107.0 21.0,107.1 20.9,107.1"}, "cap.polygon.closed"),
        ({"polygon": "20.9,107.0 21.0,107.0 20.9,107.0"}, "cap.polygon.points"),
        ({"polygon": "20.9,107.0 91.0,107.0 21.0,107.1 20.9,107.0"}, "cap.polygon.range"),
        ({"polygon": "20.9,107.0 21.0,181.0 21.0,107.1 20.9,107.0"}, "cap.polygon.range"),
        ({"polygon": "20.9;107.0 21.0;107.0 21.0;107.1 20.9;107.0"}, "cap.polygon.format"),
        ({"polygon": "20.9,,107.0 21.0,107.0 21.0,107.1 20.9,107.0"}, "cap.polygon.format"),
        ({"circle": "20.95,107.05"}, "cap.circle.format"),
        ({"circle": "20.95,107.05 -1"}, "cap.circle.range"),
        ({"circle": "95,107.05 1"}, "cap.circle.range"),
        ({"msg_type": "Update"}, "cap.references.missing"),
        (
            {"msg_type": "Cancel", "references": "\n  <references>a@b,PCTT-0</references>"},
            "cap.references.format",
        ),
        (
            {
                "msg_type": "Update",
                "references": "\n  <references>a@b,PCTT-0,2024-09-07T10:00:00</references>",
            },
            "cap.references.format",
        ),
        ({"scope": "Restricted"}, "cap.restriction.missing"),
        ({"scope": "Private"}, "cap.addresses.missing"),
        ({"expires": "2024-09-08T12:00:00"}, "cap.xsd"),
    ],
)
def test_rule_violations_are_errors(changes, rule):
    report = _report(**changes)
    assert not report.valid
    assert rule in {issue.rule for issue in report.errors}
    issue = next(issue for issue in report.errors if issue.rule == rule)
    assert issue.line is not None
    assert issue.message_vi != issue.message_en


def test_well_formed_references_are_accepted():
    references = (
        "\n  <references>a@b.vn,PCTT-0,2024-09-07T09:00:00+07:00 "
        "a@b.vn,PCTT-00,2024-09-07T09:30:00-00:00</references>"
    )
    assert _report(msg_type="Update", references=references).valid


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"headline": "Bão " * 41}, "profile.headline.length"),
        ({"urgency": "Unknown"}, "profile.urgency.unknown"),
    ],
)
def test_profile_advice_is_a_warning_not_an_error(changes, rule):
    report = _report(**changes)
    assert report.valid
    assert rule in {issue.rule for issue in report.warnings}


def test_missing_expires_area_and_info_are_warnings():
    minimal = (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>X</identifier>'
        b"<sender>s</sender><sent>2024-09-07T10:00:00+07:00</sent><status>Actual</status>"
        b"<msgType>Alert</msgType><scope>Public</scope></alert>"
    )
    report = validate(minimal)
    assert report.valid
    assert "profile.info.missing" in _rules(report)
    with_info = minimal.replace(
        b"</scope>",
        b"</scope><info><category>Met</category><event>e</event><urgency>Past</urgency>"
        b"<severity>Minor</severity><certainty>Observed</certainty></info>",
    )
    assert {"profile.expires.missing", "profile.area.missing"} <= _rules(validate(with_info))


def test_every_rule_has_both_languages_with_vietnamese_diacritics():
    for rule in RULES.values():
        assert rule.template_vi and rule.template_en
        assert rule.template_vi != rule.template_en
    assert any(ch in "ảạẫđươ" for rule in RULES.values() for ch in rule.template_vi)


def test_an_alert_object_can_be_validated_before_it_is_issued():
    alert = _report().alerts[0]
    assert validate(alert).valid
    bad = alert._replace(identifier="PCTT 0001", msg_type="Update")
    rules = {issue.rule for issue in validate(bad).errors}
    assert rules == {"cap.identifier.chars", "cap.references.missing"}
