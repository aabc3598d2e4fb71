"""CAP 1.2 message as plain immutable records (field order follows the OASIS schema).

The records are NamedTuples: building one costs a fifth of a frozen dataclass (no per-field
`object.__setattr__`), which matters when thousands of messages are read (issue #3's benchmark);
use `._replace(...)` to derive a changed copy. Repeated elements are tuples so objects are hashable
and compare by value. Times are aware
datetimes; `-00:00` and `+00:00` both become UTC (CAP 1.2 treats them alike). Polygons and circles
keep their CAP text so that writing reproduces it exactly; `pctt.cap.geometry` turns them into
numbers.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

CAP12_NS = "urn:oasis:names:tc:emergency:cap:1.2"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
RESPONSE_TYPES = (
    "Shelter",
    "Evacuate",
    "Prepare",
    "Execute",
    "Avoid",
    "Monitor",
    "Assess",
    "AllClear",
    "None",
)
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


class ValuePair(NamedTuple):
    """eventCode, parameter and geocode: a valueName/value pair."""

    value_name: str
    value: str


class Resource(NamedTuple):
    resource_desc: str
    mime_type: str
    size: int | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


class Area(NamedTuple):
    area_desc: str
    polygons: tuple[str, ...] = ()
    circles: tuple[str, ...] = ()
    geocodes: tuple[ValuePair, ...] = ()
    altitude: Decimal | None = None
    ceiling: Decimal | None = None


class Info(NamedTuple):
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    language: str | None = None
    response_types: tuple[str, ...] = ()
    audience: str | None = None
    event_codes: tuple[ValuePair, ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[ValuePair, ...] = ()
    resources: tuple[Resource, ...] = ()
    areas: tuple[Area, ...] = ()


class Alert(NamedTuple):
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: str | None = None
    incidents: str | None = None
    infos: tuple[Info, ...] = ()
    # Elements from other namespaces after the infos (in practice an enveloped ds:Signature),
    # serialised verbatim so that writing the alert puts them back unchanged.
    foreign_elements: tuple[bytes, ...] = ()
