"""A public pilot chosen in a decided round, so the hidden-data walks reach the API's and the
pages' answers for a pilot that carries its round."""

from __future__ import annotations

from typing import Any

from app.choosing.decisions import DecisionInput, decide_round
from app.common.db_types import utcnow
from app.extensions import db
from tests.factories import create_idea, create_round, create_user


def chosen_public_pilot(council: Any, also_in: Any = None) -> str:
    """The slug of a registered pilot made from an idea chosen in a decided round of `council`;
    the idea is also one of `also_in`'s (a round still scoring) when given."""
    idea = (
        also_in.idea_links[0].idea if also_in is not None else create_idea(council, published=True)
    )
    round_ = create_round(council, "closed", ideas=[idea, create_idea(council, published=True)])
    admin = create_user("council-admin", council)
    chosen = DecisionInput([idea.id], "Ready first", meeting="Cabinet", minute_reference="C/1")
    [pilot] = decide_round(round_, chosen, admin)
    pilot.status, pilot.registered_at = "registered", utcnow()
    pilot.hypothesis = "If we do this, residents wait less."
    db.session.commit()
    return pilot.slug
