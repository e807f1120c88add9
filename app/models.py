"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.auth.models import Membership, User
from app.councils.models import Council
from app.funding.models import Award, Programme, ProgrammePillar
from app.pilots.models import Pilot, PilotEvent, PilotPillar, PilotTag

__all__ = ["Council", "Membership", "Pilot", "PilotEvent", "PilotPillar", "PilotTag", "User"]
__all__ += ["Award", "Programme", "ProgrammePillar"]
