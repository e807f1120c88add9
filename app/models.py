"""Every domain's models, imported together so the metadata (and Alembic) sees the whole schema."""

from app.auth.models import Membership, User
from app.councils.models import Council
from app.feeds.models import pilots_by_status_and_change  # noqa: F401
from app.pilots.models import Pilot, PilotEvent, PilotPillar, PilotTag

__all__ = ["Council", "Membership", "Pilot", "PilotEvent", "PilotPillar", "PilotTag", "User"]
