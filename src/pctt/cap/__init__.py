"""CAP 1.2 (OASIS Common Alerting Protocol) core: parse, validate and write alerts.

Pure Python on lxml; no Django. Typical use:

    report = validate(data)            # never raises; report.valid, report.errors, report.alerts
    result = parse(data)               # raises CapError unless schema-valid CAP 1.2
    data = to_xml(alert)
"""

from pctt.cap.issues import RULES, CapError, Issue
from pctt.cap.model import Alert, Area, Info, Resource, ValuePair
from pctt.cap.parser import ParseResult, parse
from pctt.cap.validator import Report, validate
from pctt.cap.writer import to_xml

__all__ = [
    "RULES",
    "Alert",
    "Area",
    "CapError",
    "Info",
    "Issue",
    "ParseResult",
    "Report",
    "Resource",
    "ValuePair",
    "parse",
    "to_xml",
    "validate",
]
