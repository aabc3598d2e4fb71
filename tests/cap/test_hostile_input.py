"""Hostile, malformed and oversized input fails with CapError and a rule id, quickly."""

import pytest

from pctt.cap import CapError, parse, validate
from pctt.cap.safe_xml import DEFAULT_MAX_BYTES

from .shared_data import cap_file

MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>T1</identifier><sender>a@b.vn</sender><sent>2024-09-07T10:00:00+07:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>%s
</alert>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""

PASSWD_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""

NETWORK_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""

QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>'
    + b"&a;" * 50_000
    + b"</identifier></alert>"
)


def _rule(data: bytes, **limits: int) -> str:
    with pytest.raises(CapError) as caught:
        parse(data, **limits)
    report = validate(data, **limits)
    assert not report.valid
    assert report.errors[0].rule == caught.value.rule
    return caught.value.rule


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, PASSWD_ENTITY, NETWORK_ENTITY, QUADRATIC],
    ids=["billion-laughs", "file-entity", "network-entity", "quadratic-blowup"],
)
def test_any_doctype_is_refused_before_parsing(data):
    assert _rule(data) == "xml.doctype"


def test_doctype_after_bom_comments_and_pis_is_refused():
    data = b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- hi -->\n<?pi x?>\n" + PASSWD_ENTITY[22:]
    assert _rule(data) == "xml.doctype"


@pytest.mark.parametrize(
    "prolog",
    [
        b"",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        b"<?xml version = '1.0' encoding = 'utf-8' ?>\n",
        b'<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><!-- a - comment -->\n\t',
        # A second declaration, naming another encoding, is not taken for a plain PI.
        b'<?xml version="1.0"?><?xml version="1.0" encoding="ISO-8859-1"?>',
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        b'<?xml version="1.1"?>',
    ],
)
def test_a_doctype_behind_any_prolog_is_refused(prolog):
    assert _rule(prolog + PASSWD_ENTITY[22:]) == "xml.doctype"


@pytest.mark.parametrize(
    "data",
    [
        b" " * 4_000_000 + b"!",
        b"<!--" + b"- " * 2_000_000,
        b"<?pi " + b"?" * 4_000_000,
        b'<?xml version="1.0"?>' + b"<!-- a -->" * 400_000 + b"!",
    ],
    ids=["blanks", "unclosed-comment", "unclosed-pi", "many-comments"],
)
def test_a_huge_prolog_is_refused_quickly(data):
    # Linear-time scans (possessive regexes): a catastrophic backtrack would not finish.
    assert _rule(data) in {"xml.syntax", "xml.empty"}


def test_utf16_doctype_is_refused():
    assert _rule(PASSWD_ENTITY.decode().replace('<?xml version="1.0"?>', "").encode("utf-16")) == (
        "xml.doctype"
    )


def test_google_xxe_sample_leaks_no_entity_or_file_content():
    data = cap_file("google_xxe_xinclude_attack.xml")
    report = validate(data)
    assert [issue.rule for issue in report.errors] == ["xml.doctype"]
    assert report.alerts == ()
    shown = repr(report)
    assert "root:" not in shown and "payload" not in shown


def test_xinclude_is_never_processed():
    data = MINIMAL % (
        b'<x xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file:///etc/passwd" parse="text"/></x>'
    )
    report = validate(data)
    assert "cap.xsd" in {issue.rule for issue in report.errors}
    assert "root:" not in repr(report)


def test_external_schema_location_is_not_fetched():
    data = (
        MINIMAL.replace(
            b'cap:1.2">',
            b'cap:1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            b'xsi:schemaLocation="urn:x http://127.0.0.1:9/a.xsd">',
        )
        % b""
    )
    assert parse(data).alerts[0].identifier == "T1"


def test_deep_nesting_is_refused():
    deep = MINIMAL % (b"<x>" * 100 + b"</x>" * 100)
    assert _rule(deep) == "xml.depth"
    very_deep = MINIMAL % (b"<x>" * 100_000 + b"</x>" * 100_000)
    assert _rule(very_deep) in {"xml.depth", "xml.syntax"}


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        ("UTF-16", "utf-16-le"),  # no BOM: the byte scan cannot see the DOCTYPE
        ("UTF-16", "utf-16-be"),
        ("UTF-32", "utf-32-le"),
        ("UTF-7", "utf-7"),  # '<' itself is written +ADw-
        ("ISO-8859-1", "latin-1"),
    ],
)
def test_a_doctype_in_any_encoding_is_refused(declared, codec):
    text = PASSWD_ENTITY.decode().replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{declared}"?>'
    )
    assert _rule(text.encode(codec)) == "xml.doctype"


def test_depth_is_checked_where_the_schema_does_not_bound_it():
    """A valid unsigned alert is at most 5 deep, so only signatures and containers are walked."""
    info = (
        b"<info><category>Met</category><event>e</event><urgency>Past</urgency>"
        b"<severity>Minor</severity><certainty>Observed</certainty>"
        b"<area><areaDesc>x</areaDesc><geocode><valueName>a</valueName><value>1</value></geocode>"
        b"</area></info>"
    )
    assert validate(MINIMAL % info).valid
    assert _rule(MINIMAL % info, max_depth=4) == "xml.depth"
    signature = b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">%s</Signature>'
    deep_signature = signature % (b"<Object>" * 40 + b"</Object>" * 40)
    assert _rule(MINIMAL % (info + deep_signature)) == "xml.depth"
    container = b"<alerts>%s</alerts>" % (b"<a>" * 40 + (MINIMAL % info)[38:] + b"</a>" * 40)
    assert _rule(container) == "xml.depth"


def test_huge_attribute_within_the_size_limit_is_only_a_schema_error():
    data = MINIMAL.replace(b"<identifier>", b'<identifier a="' + b"x" * 4_000_000 + b'">') % b""
    assert _rule(data) == "cap.xsd"


def test_input_just_over_the_limit_is_refused_by_size():
    data = MINIMAL % (b" " * DEFAULT_MAX_BYTES)
    assert len(data) == DEFAULT_MAX_BYTES + len(MINIMAL) - 2
    assert _rule(data) == "xml.too_large"
    assert _rule(MINIMAL % b"", max_bytes=len(MINIMAL) - 3) == "xml.too_large"


def test_fifty_megabytes_is_refused_by_size_before_parsing():
    data = b"<" * 50_000_000  # not even XML: a parse attempt would say xml.syntax
    assert _rule(data) == "xml.too_large"


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"", "xml.empty"),
        (b"  \n\t ", "xml.empty"),
        (b"\x00\xff\xfe\x01garbage\x9c", "xml.syntax"),
        (MINIMAL[: len(MINIMAL) // 2], "xml.syntax"),
        (b"<?xml version='1.0' encoding='no-such-encoding'?><a/>", "xml.syntax"),
        (b"<alert xmlns='urn:oasis:names:tc:emergency:alerts:1.2'/>", "cap.namespace"),
        (b"<alert/>", "cap.namespace"),
        (b"<alert xmlns='http://www.incident.com/cap/1.0'/>", "cap.version"),
        (b"<feed><entry/></feed>", "cap.namespace"),
    ],
)
def test_malformed_input_gets_a_rule_not_a_traceback(data, rule):
    assert _rule(data) == rule


def test_text_is_refused_with_a_clear_type_error():
    with pytest.raises(TypeError):
        parse("<alert/>")  # type: ignore[arg-type]
