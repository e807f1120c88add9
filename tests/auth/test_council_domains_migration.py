"""Migration 0008 puts the domains councils already hold through the new rules, on whichever
database this run uses: shared ones refused, contested ones left for a registry admin (and
printed), the rest approved, each remembering who added it (from the audit log)."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import column, select, table

from app.auth import memberships
from app.auth.audit import record_audit
from app.auth.models import CouncilDomain, User
from app.councils.models import Council
from app.extensions import db
from tests.factories import create_council, create_user

BEFORE = "cache_0001"


def test_the_migration_reviews_the_domains_already_held(app_ctx, capsys):
    herts = create_council(code="HRT", nice_name="Hertfordshire")
    berks = create_council(code="WBK", nice_name="West Berkshire")
    adder = create_user("council-admin", berks, email="boss@westberks.gov.uk")
    record_audit(
        adder, "set-domains", "council", "WBK", "West Berkshire", berks.id,
        domains=["westberks.gov.uk", "gov.uk", "hertfordshire.example"],
    )  # fmt: skip
    db.session.commit()
    berks_id, herts_id, adder_id = berks.id, herts.id, adder.id
    db.session.remove()
    downgrade(revision=BEFORE)
    try:
        # The table as it was before the revision: no state, no adder.
        old_table = table("council_domains", column("council_id"), column("domain"))
        with db.engine.begin() as connection:
            for council, domain in [
                (berks_id, "westberks.gov.uk"),
                (berks_id, "gov.uk"),
                (berks_id, "hertfordshire.example"),
                (herts_id, "hertfordshire.example"),
                (herts_id, "hertfordshire.gov.uk"),
            ]:
                connection.execute(old_table.insert().values(council_id=council, domain=domain))
    finally:
        upgrade()
    report = capsys.readouterr().out

    rows = db.session.execute(
        select(CouncilDomain.council_id, CouncilDomain.domain, CouncilDomain.status,
               CouncilDomain.added_by_id)
    ).all()  # fmt: skip
    assert {(c, d): (s, a) for c, d, s, a in rows} == {
        (berks_id, "westberks.gov.uk"): ("approved", adder_id),
        (berks_id, "gov.uk"): ("refused", adder_id),
        (berks_id, "hertfordshire.example"): ("pending", adder_id),
        (herts_id, "hertfordshire.example"): ("pending", None),
        (herts_id, "hertfordshire.gov.uk"): ("approved", None),
    }
    assert "refused gov.uk for West Berkshire" in report
    assert "hertfordshire.example is held by Hertfordshire, West Berkshire" in report
    # The domain admits colleagues, but not the admin who added it.
    berks, adder = db.session.get(Council, berks_id), db.session.get(User, adder_id)
    assert memberships.domains_admitting(berks, adder) == []
    assert memberships.domains_admitting(berks, create_user()) == ["westberks.gov.uk"]
