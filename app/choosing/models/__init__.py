"""The choosing domain's tables: ideas (here), and the prioritisation rounds over them."""

from app.choosing.models.ideas import COST_BANDS, RAISED_BY, Idea, IdeaPillar

__all__ = ["COST_BANDS", "RAISED_BY", "Idea", "IdeaPillar"]
