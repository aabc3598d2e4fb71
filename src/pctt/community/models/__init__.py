from pctt.community.models.claims import Claim, ClaimChannel, ClaimVariant, Evidence, Verdict
from pctt.community.models.submissions import (
    OPEN_STATUSES,
    AnswerChannel,
    Kind,
    Source,
    Status,
    Submission,
    Theme,
)

__all__ = [
    "OPEN_STATUSES",
    "AnswerChannel",
    "Claim",
    "ClaimChannel",
    "ClaimVariant",
    "Evidence",
    "Kind",
    "Source",
    "Status",
    "Submission",
    "Theme",
    "Verdict",
]
