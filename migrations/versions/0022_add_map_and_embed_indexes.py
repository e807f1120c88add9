"""add the map's kept counts and pilot indexes for /map and a council's widget: each council's
concluded pilots led by verdict, and public pilots partnered in, all and by verdict (counts.py's
MAP_FACETS, filled here); public pilots by (status, lead council, verdict, position), so that a
filtered map's counts and its placed pilots are read from the index alone; and a council's led pilots by (start date, registration), so that its widget reads its
latest 20 in order; and a council's ideas by last change, 50 a page

Revision ID: pages_0003
Revises: pages_0002
Create Date: 2026-12-03

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "pages_0003"
down_revision = "pages_0002"
branch_labels = None
depends_on = None


PUBLIC = "('registered', 'running', 'concluded', 'stopped', 'withdrawn')"
VERDICTS = "('proved', 'disproved', 'inconclusive')"


def _backfill():
    """counts.py's all_counts for the map's facets, as they stand at this revision."""
    council = "CAST(council_id AS VARCHAR(20))"
    partnered = "pilot_partners JOIN pilots ON pilots.id = pilot_partners.pilot_id"
    concluded = f"pilots.status = 'concluded' AND pilots.verdict IN {VERDICTS}"
    for facet, value, source, where, group in (
        ("led-v", "CAST(lead_council_id AS VARCHAR(20)) || ':' || verdict", "pilots", concluded,
         "lead_council_id, verdict"),
        ("partner", council, partnered, f"pilots.status IN {PUBLIC}", "council_id"),
        ("partner-v", f"{council} || ':' || verdict", partnered, concluded,
         "council_id, verdict"),
    ):  # fmt: skip
        op.execute(
            f"INSERT INTO pilot_counts (facet, value, pilots) SELECT '{facet}', {value}, "  # noqa: S608
            f"count(*) FROM {source} WHERE {where} GROUP BY {group}"
        )


def upgrade():
    _backfill()
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pilots_status_lead_verdict",
            ["status", "lead_council_id", "verdict", "latitude", "longitude"],
            unique=False,
        )
        batch_op.create_index(
            "ix_pilots_lead_council_id_started",
            ["lead_council_id", "start_date", "registered_at", "status"],
            unique=False,
        )

    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ideas_council_id_updated_at", ["council_id", "updated_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_index("ix_ideas_council_id_updated_at")
    op.execute("DELETE FROM pilot_counts WHERE facet IN ('led-v', 'partner', 'partner-v')")
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_lead_council_id_started")
        batch_op.drop_index("ix_pilots_status_lead_verdict")
