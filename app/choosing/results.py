"""What a round publishes once it has closed: its result (both scorings' when there was a
second), the declarations, and for a second scoring the anonymised first-round distribution.

Nothing here answers while scores are hidden: before the first close there is no result, and
during a second scoring only the first scoring's result (already published) is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.choosing.consensus import RoundResult, round_result
from app.choosing.delphi import (
    IdeaDistribution,
    RoundsSideBySide,
    first_round_distribution,
    side_by_side,
)
from app.choosing.models import Declaration, Round
from app.choosing.scoring import score_sheet
from app.extensions import db

PUBLISHED_STATUSES = ("closed", "rescoring", "decided")


@dataclass(frozen=True)
class PublishedResult:
    scoring: int  # whose result this is: 1, or 2 after a second scoring
    result: RoundResult
    first: RoundResult | None = None  # the first scoring's, when this is the second's
    side_by_side: RoundsSideBySide | None = None


def is_published(round_: Round) -> bool:
    return round_.status in PUBLISHED_STATUSES


def published_result(round_: Round) -> PublishedResult | None:
    """The round's result as the public may see it now, or None while nothing is published."""
    if not is_published(round_):
        return None
    scoring = 1 if round_.status == "rescoring" else round_.scoring
    result = round_result(score_sheet(round_, scoring))
    if scoring == 1:
        return PublishedResult(1, result)
    first = round_result(score_sheet(round_, 1))
    return PublishedResult(2, result, first, side_by_side(first, result))


def delphi_distribution(round_: Round) -> tuple[IdeaDistribution, ...]:
    """The first scoring's scores without names, for scorers to see before they re-score."""
    if round_.status != "rescoring":
        return ()
    return first_round_distribution(score_sheet(round_, 1))


def published_declarations(round_: Round) -> list[Declaration]:
    """The panel's declared interests, once the result is out."""
    if not is_published(round_):
        return []
    return list(
        db.session.scalars(
            select(Declaration).where(Declaration.round_id == round_.id).order_by(Declaration.id)
        )
    )


def scorer_labels(round_: Round) -> dict[int, str]:
    """user id → the name published with their scores: a stable pseudonym when anonymous."""
    return {
        p.user_id: p.pseudonym if round_.anonymous else p.user.display_name for p in round_.panel
    }


def idea_titles(round_: Round) -> dict[int, str]:
    return {link.idea_id: link.idea.title for link in round_.idea_links}


def criterion_names(round_: Round) -> dict[int, str]:
    return {c.id: c.name for c in round_.criteria}
