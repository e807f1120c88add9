"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.auth.models import Membership, User
from app.councils.models import Council
from app.pilots.models import (
    OutcomeReport,
    Pilot,
    PilotEvent,
    PilotPillar,
    PilotTag,
    PilotVersion,
    ProgressUpdate,
    ReportExtension,
    SuccessMeasure,
)

__all__ = ["Council", "Membership", "Pilot", "PilotEvent", "PilotPillar", "PilotTag", "User"]
__all__ += [
    "OutcomeReport",
    "PilotVersion",
    "ProgressUpdate",
    "ReportExtension",
    "SuccessMeasure",
]
