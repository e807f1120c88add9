"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.alerts.models import Alert, AlertAddress, AlertSend
from app.api.models import ApiToken, IdempotentAnswer
from app.appraisal.models import (
    Appraisal,
    AppraisalOption,
    BenefitLine,
    CostLine,
    ProcessStep,
)
from app.auth.models import AuditEvent, CouncilDomain, Membership, User, UserSession
from app.choosing.models import (
    Declaration,
    Idea,
    IdeaPillar,
    Panelist,
    Round,
    RoundAmendment,
    RoundCriterion,
    RoundIdea,
    Score,
)
from app.choosing.models.consultations import (
    AnswerChoice,
    Consultation,
    ConsultationAnswer,
    ConsultationOption,
)
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
from app.search.changelog import SearchChange

__all__ = [
    "Alert",
    "AlertAddress",
    "AlertSend",
    "AnswerChoice",
    "ApiToken",
    "Appraisal",
    "AppraisalOption",
    "AuditEvent",
    "Award",
    "BenefitLine",
    "Consultation",
    "ConsultationAnswer",
    "ConsultationOption",
    "ContentGeneration",
    "CostLine",
    "Council",
    "CouncilDomain",
    "Declaration",
    "Idea",
    "IdeaPillar",
    "IdempotentAnswer",
    "Membership",
    "OutcomeReport",
    "Panelist",
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
    "Round",
    "RoundAmendment",
    "RoundCriterion",
    "RoundIdea",
    "Score",
    "SearchChange",
    "SuccessMeasure",
    "User",
    "UserSession",
]
