from pctt.alerts.models.choices import Certainty, Hazard, LoudspeakerPriority, Severity, Urgency
from pctt.alerts.models.templates import WarningTemplate
from pctt.alerts.models.upstream import CapFeed, UpstreamAlert
from pctt.alerts.models.warnings import Alert

__all__ = [
    "Alert",
    "CapFeed",
    "Certainty",
    "Hazard",
    "LoudspeakerPriority",
    "Severity",
    "UpstreamAlert",
    "Urgency",
    "WarningTemplate",
]
