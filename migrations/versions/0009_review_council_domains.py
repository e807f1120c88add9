"""review council domains: a state on each (pending, approved, refused) and who added it

A council admin could register any domain (gov.uk, another council's) and then join by it. From
here a registry admin approves each new domain. The domains already held are put through the
same rules: one that many organisations share (content/shared-email-domains.txt) is refused; one
that two or more councils hold waits for a registry admin (at /council-domains); the rest stay
approved. Who added each is read from the audit log, so it never admits its own adder. Every
domain refused or left waiting is printed.

Revision ID: auth_0003
Revises: appraisal_0001
Create Date: 2026-12-03
"""

from collections import defaultdict
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "auth_0003"
down_revision = "appraisal_0001"
branch_labels = None
depends_on = None

SHARED_DOMAINS_FILE = Path(__file__).resolve().parents[2] / "content" / "shared-email-domains.txt"

council_domains = sa.table(
    "council_domains",
    sa.column("id", sa.Integer),
    sa.column("council_id", sa.Integer),
    sa.column("domain", sa.String),
    sa.column("status", sa.String),
    sa.column("added_by_id", sa.Integer),
)
councils = sa.table("councils", sa.column("id", sa.Integer), sa.column("nice_name", sa.String))
audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("target_type", sa.String),
    sa.column("council_id", sa.Integer),
    sa.column("detail", sa.JSON),
)


def shared_domains():
    lines = SHARED_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    names = (line.split("#", 1)[0].strip().lower() for line in lines)
    return {name for name in names if name and not name.startswith("[")}


def first_adders(connection):
    """(council id, domain) → the user whose saved list first named it, from the audit log."""
    adders = {}
    events = connection.execute(
        sa.select(audit_events.c.council_id, audit_events.c.actor_id, audit_events.c.detail)
        .where(audit_events.c.action == "set-domains", audit_events.c.target_type == "council")
        .order_by(audit_events.c.at, audit_events.c.id)
    )
    for council_id, actor_id, detail in events:
        for domain in (detail or {}).get("domains", []):
            adders.setdefault((council_id, domain), actor_id)
    return adders


def review_existing_domains():
    connection = op.get_bind()
    shared = shared_domains()
    adders = first_adders(connection)
    rows = connection.execute(
        sa.select(
            council_domains.c.id,
            council_domains.c.council_id,
            council_domains.c.domain,
            councils.c.nice_name,
        )
        .join(councils, councils.c.id == council_domains.c.council_id)
        .order_by(council_domains.c.domain, councils.c.nice_name)
    ).all()
    holders = defaultdict(list)
    for row in rows:
        holders[row.domain].append(row.nice_name)
    for row in rows:
        if row.domain in shared:
            status = "refused"
            print(f"council_domains: refused {row.domain} for {row.nice_name}: a shared domain")
        elif len(holders[row.domain]) > 1:
            status = "pending"
            print(
                f"council_domains: {row.domain} is held by {', '.join(holders[row.domain])}: "
                f"{row.nice_name}'s claim waits for a registry admin at /council-domains"
            )
        else:
            status = "approved"
        connection.execute(
            council_domains.update()
            .where(council_domains.c.id == row.id)
            .values(status=status, added_by_id=adders.get((row.council_id, row.domain)))
        )


def upgrade():
    with op.batch_alter_table("council_domains", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="pending")
        )
        batch_op.add_column(sa.Column("added_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_council_domains_added_by_id_users"),
            "users",
            ["added_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_council_domains_decided_by_id_users"),
            "users",
            ["decided_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    review_existing_domains()

    with op.batch_alter_table("council_domains", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)


def downgrade():
    # Without the states every row admits people: keep only the domains a registry admin (or
    # this revision's review) approved.
    op.execute(council_domains.delete().where(council_domains.c.status != "approved"))
    with op.batch_alter_table("council_domains", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_council_domains_decided_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_council_domains_added_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("added_by_id")
        batch_op.drop_column("status")
