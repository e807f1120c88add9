"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.api.models import ApiToken, IdempotentAnswer
from app.appraisal.models import (
    Appraisal,
    AppraisalOption,
    BenefitLine,
    CostLine,
    ProcessStep,
)
from app.auth.models import AuditEvent, CouncilDomain, Membership, User, UserSession
from app.common.caching.models import ContentGeneration
from app.councils.models import Council
from app.funding.models import Award, Programme, ProgrammePillar
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

__all__ = [
    "ApiToken",
    "Appraisal",
    "AppraisalOption",
    "AuditEvent",
    "Award",
    "BenefitLine",
    "ContentGeneration",
    "CostLine",
    "Council",
    "CouncilDomain",
    "IdempotentAnswer",
    "Membership",
    "OutcomeReport",
    "Pilot",
    "PilotEvent",
    "PilotPillar",
    "PilotTag",
    "PilotVersion",
    "ProcessStep",
    "Programme",
    "ProgrammePillar",
    "ProgressUpdate",
    "ReportExtension",
    "SuccessMeasure",
    "User",
    "UserSession",
]
