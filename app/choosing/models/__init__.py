"""The choosing domain's tables: ideas, and the prioritisation rounds over them."""

from app.choosing.models.ideas import COST_BANDS, RAISED_BY, Idea, IdeaPillar
from app.choosing.models.rounds import (
    DIRECTIONS,
    ROUND_STATUSES,
    SCORING_STATUSES,
    Declaration,
    Panelist,
    Round,
    RoundAmendment,
    RoundConsultation,
    RoundCriterion,
    RoundIdea,
    Score,
)

__all__ = [
    "COST_BANDS",
    "DIRECTIONS",
    "RAISED_BY",
    "ROUND_STATUSES",
    "SCORING_STATUSES",
    "Declaration",
    "Idea",
    "IdeaPillar",
    "Panelist",
    "Round",
    "RoundAmendment",
    "RoundConsultation",
    "RoundCriterion",
    "RoundIdea",
    "Score",
]
