"""Full check of a CAP document: safe XML, CAP 1.2, XSD, extra rules, profile advice, signatures."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from pctt.cap import safe_xml
from pctt.cap.issues import CapError, Issue, line_of, make_issue
from pctt.cap.model import Alert
from pctt.cap.parser import alert_from_fields, depth_issues, locate_alerts
from pctt.cap.reader import Fields
from pctt.cap.rules import fields_issues
from pctt.cap.schema import schema_issues
from pctt.cap.signature import SIGNATURE_TAG, SharedDigests, SignatureCheck, check_signature
from pctt.cap.writer import to_xml


class Report(NamedTuple):
    """What `validate` found. A NamedTuple: built for every message read, and a frozen
    dataclass costs a setattr per field (see docs/decisions.md, NamedTuple records)."""

    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    # The alerts, built when the schema accepted them (even if other rules failed).
    alerts: tuple[Alert, ...] = ()
    container: bool = False
    # Outcome of each ds:Signature: "valid", "digest_mismatch", "signature_mismatch",
    # "unsupported"; empty when the message is unsigned or signatures were not verified.
    signatures: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors


def validate(
    data: bytes | Alert,
    *,
    trusted_certificates: Collection[bytes] = (),
    max_bytes: int = safe_xml.DEFAULT_MAX_BYTES,
    max_depth: int = safe_xml.DEFAULT_MAX_DEPTH,
    verify_signatures: bool = True,
) -> Report:
    """Check `data` completely; never raises for bad input.

    An `Alert` (e.g. one composed in pctt before issuing) is checked as the XML `to_xml` writes
    for it; a signature it carries will not match the rewritten bytes.
    `trusted_certificates` holds DER-encoded X.509 certificates; a correct signature made with
    any other key gives the warning cap.signature.untrusted.
    `verify_signatures=False` skips the XML-DSig cryptography (the costliest step) where the
    caller does not need it, e.g. for XML pctt itself just wrote; `signatures` is then empty.
    Verifying stays the default so that nothing read from outside is accepted unverified.
    """
    if isinstance(data, Alert):
        data = to_xml(data)
    try:
        root = safe_xml.load(data, max_bytes=max_bytes, max_depth=None)
        document = locate_alerts(root)
    except CapError as error:
        return Report(errors=error.issues, warnings=())
    schema_problems = [schema_issues(element) for element in document.alert_elements]
    # Each alert read once, for the depth probe, the rules and the objects.
    read = [
        Fields(element, schema_valid=not problems)
        for element, problems in zip(document.alert_elements, schema_problems, strict=True)
    ]
    too_deep = depth_issues(root, document, schema_problems, read, max_depth)
    if too_deep:
        return Report(errors=too_deep, warnings=())
    issues: list[Issue] = []
    alerts: list[Alert] = []
    outcomes: list[str] = []
    if document.container:
        issues.append(make_issue("cap.container", line_of(root), len(document.alert_elements)))
    for fields, problems in zip(read, schema_problems, strict=True):
        issues.extend(problems)
        issues.extend(fields_issues(fields))
        if not problems:
            try:
                alerts.append(alert_from_fields(fields))
            except CapError as error:
                issues.extend(error.issues)
        if not verify_signatures:
            continue
        shared: SharedDigests = {}
        for signature in fields.foreign:
            if signature.tag != SIGNATURE_TAG:
                continue
            check = check_signature(signature, shared=shared)
            outcomes.append(check.outcome)
            issues.extend(_signature_issues(check, trusted_certificates))
    if not issues:
        return Report((), (), tuple(alerts), document.container, tuple(outcomes))
    # The same XSD message can come from several alerts of a container at one line; keep one.
    unique = dict.fromkeys(issues)
    return Report(
        tuple([issue for issue in unique if issue.severity == "error"]),
        tuple([issue for issue in unique if issue.severity == "warning"]),
        tuple(alerts),
        document.container,
        tuple(outcomes),
    )


def _signature_issues(check: SignatureCheck, trusted: Collection[bytes]) -> list[Issue]:
    if check.outcome == "digest_mismatch":
        return [make_issue("cap.signature.digest", check.line, check.detail)]
    if check.outcome == "signature_mismatch":
        return [make_issue("cap.signature.value", check.line, check.detail)]
    if check.outcome == "unsupported":
        return [make_issue("cap.signature.unsupported", check.line, check.detail)]
    found = []
    if check.detail:
        found.append(make_issue("cap.signature.relaxed", check.line, check.detail))
    if check.certificate_der is None or check.certificate_der not in trusted:
        found.append(make_issue("cap.signature.untrusted", check.line))
    return found
