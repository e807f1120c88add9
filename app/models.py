"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.auth.models import AuditEvent, CouncilDomain, Membership, User, UserSession
from app.councils.models import Council
from app.pilots.models import Pilot, PilotEvent, PilotPillar, PilotTag

__all__ = [
    "AuditEvent",
    "Council",
    "CouncilDomain",
    "Membership",
    "Pilot",
    "PilotEvent",
    "PilotPillar",
    "PilotTag",
    "User",
    "UserSession",
]
