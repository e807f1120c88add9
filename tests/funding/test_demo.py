"""The demo funding content: two programmes, awards across the demo pilots in every public
state, one with an overdue report; loading it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.content.demo import load_demo
from app.extensions import db
from app.funding.models import Award, Programme
from app.pilots.models import PUBLIC_STATUSES, Pilot
from tests.factories import create_user


def test_demo_funding_loads_once_and_covers_every_state(client, sign_in):
    first = load_demo()
    assert first.funding is not None
    assert first.funding.programmes_created == 2
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 2
    funded = list(db.session.scalars(select(Pilot).join(Award, Award.pilot_id == Pilot.id)))
    assert len({p.id for p in funded}) >= 8
    assert {p.status for p in funded} >= set(PUBLIC_STATUSES)
    stamps = dict(db.session.execute(select(Award.reference, Award.updated_at)).all())
    second = load_demo()
    assert second.funding is not None
    assert (second.funding.programmes_created, second.funding.awards_created) == (0, 0)
    assert second.funding.changed == 0
    assert dict(db.session.execute(select(Award.reference, Award.updated_at)).all()) == stamps

    sign_in(create_user("funder"))
    overdue = client.get("/funding/dashboard.csv?table=overdue").get_data(as_text=True)
    assert len(overdue.strip().splitlines()) >= 2  # a header and at least one overdue trial
    for slug in db.session.scalars(select(Programme.slug)):
        assert client.get(f"/funding/programmes/{slug}").status_code == 200
