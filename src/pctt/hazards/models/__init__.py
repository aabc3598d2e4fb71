from pctt.hazards.models.observations import Observation, QuarantinedReading
from pctt.hazards.models.proposals import Proposal
from pctt.hazards.models.risk import RiskLevel
from pctt.hazards.models.stations import Station, ThresholdSet

__all__ = [
    "Observation",
    "Proposal",
    "QuarantinedReading",
    "RiskLevel",
    "Station",
    "ThresholdSet",
]
