from pctt.plans.models.activities import PARTICIPANT_GROUPS, Activity, ActivityKind
from pctt.plans.models.organisations import Organisation
from pctt.plans.models.plans import Clause, PeriodicTask, Plan
from pctt.plans.models.reports import PushStatus, Report
from pctt.plans.models.upward import ProvinceLink, ReceivedReport, ReportingWard, UsedNonce

__all__ = [
    "PARTICIPANT_GROUPS",
    "Activity",
    "ActivityKind",
    "Clause",
    "Organisation",
    "PeriodicTask",
    "Plan",
    "ProvinceLink",
    "PushStatus",
    "ReceivedReport",
    "Report",
    "ReportingWard",
    "UsedNonce",
]
