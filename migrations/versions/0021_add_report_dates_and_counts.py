"""add report dates and pilot counts, kept on every write: each reporting pilot's due date,
deadline and the days from which its report counts as reported and as due in its council's
record (so that /overdue and councils' reporting records are ranges of an index), and how many
public pilots there are of each status, verdict and pillar and led by each council; both filled
here; and pilots by (lead council, last change) for a council's page

Revision ID: pages_0002
Revises: search_0003
Create Date: 2026-12-03

"""

from alembic import op
import sqlalchemy as sa
from flask import current_app, has_app_context


# revision identifiers, used by Alembic.
revision = "pages_0002"
down_revision = "search_0003"
branch_labels = None
depends_on = None

NEVER, ALWAYS = "'9999-12-31'", "'0001-01-01'"


def _days_after(dialect, day, days):
    if dialect == "sqlite":
        return f"date({day}, printf('%+d days', {days}))"
    return f"({day} + {days})"


def _clamped(day):
    return f"CASE WHEN {day} IS NULL OR {day} > {NEVER} THEN {NEVER} ELSE {day} END"


def _backfill():
    """The rules of app/pilots/overdue.py as they stand at this revision, in one statement
    (the app's own refresh, report_dates.py, writes the same rows from then on)."""
    config = current_app.config if has_app_context() else {}
    due_days = int(config.get("REPORT_DUE_DAYS", 90))
    grace = int(config.get("REPORT_GRACE_DAYS", 30))
    dialect = op.get_bind().dialect.name
    end = "coalesce(p.actual_end_date, p.planned_end_date)"
    due = f"coalesce(ext.due, {_days_after(dialect, end, f'coalesce(ovr.days, {due_days})')})"
    op.execute(f"""
        WITH ext AS (
            SELECT pilot_id, max(due_date) AS due FROM report_extensions
            WHERE approved_at IS NOT NULL GROUP BY pilot_id
        ), ovr AS (
            SELECT a.pilot_id, min(g.report_due_days) AS days
            FROM funding_awards a JOIN funding_programmes g ON g.id = a.programme_id
            WHERE g.report_due_days IS NOT NULL GROUP BY a.pilot_id
        ), worked AS (
            SELECT p.id, p.lead_council_id, p.title, {due} AS due, o.reported_on,
                   (o.id IS NOT NULL OR p.status = 'concluded') AS reported,
                   ext.due IS NOT NULL AS extended
            FROM pilots p
            LEFT JOIN ovr ON ovr.pilot_id = p.id
            LEFT JOIN ext ON ext.pilot_id = p.id
            LEFT JOIN outcome_reports o ON o.pilot_id = p.id
            WHERE p.status IN ('registered', 'running', 'concluded') AND {end} IS NOT NULL
        ), dated AS (
            SELECT id, lead_council_id, title, {_clamped("due")} AS due_on,
                   {_clamped(_days_after(dialect, "due", grace))} AS deadline, reported_on,
                   CASE WHEN reported THEN coalesce(reported_on, {ALWAYS}) ELSE {NEVER} END
                       AS reported_from,
                   extended
            FROM worked
        ), past AS (
            SELECT dated.*, CASE WHEN deadline < {NEVER}
                THEN {_clamped(_days_after(dialect, "deadline", 1))} ELSE {NEVER} END AS past
            FROM dated
        )
        INSERT INTO report_dates (pilot_id, council_id, title, due_on, deadline, reported_on,
                                  reported_from, counted_from, late, extended)
        SELECT id, lead_council_id, title, due_on, deadline, reported_on, reported_from,
               CASE WHEN reported_from <= past THEN reported_from ELSE past END,
               coalesce(reported_on > deadline, false), extended
        FROM past
    """)  # noqa: S608 (the integers are settings and the dates constants: no input)


PUBLIC = "IN ('registered', 'running', 'concluded', 'stopped', 'withdrawn')"
COUNTS = (
    "SELECT 'status', status, count(*) FROM pilots WHERE status %s GROUP BY status",
    "SELECT 'verdict', verdict, count(*) FROM pilots WHERE status = 'concluded'"
    " AND verdict IN ('proved', 'disproved', 'inconclusive') GROUP BY verdict",
    "SELECT 'lead', CAST(lead_council_id AS VARCHAR(40)), count(*) FROM pilots"
    " WHERE status %s GROUP BY lead_council_id",
    "SELECT 'pillar', f.pillar_slug, count(*) FROM pilot_pillars f"
    " JOIN pilots p ON p.id = f.pilot_id WHERE p.status %s GROUP BY f.pillar_slug",
)


def upgrade():
    op.create_table(
        "pilot_counts",
        sa.Column("facet", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("pilots", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value", name=op.f("pk_pilot_counts")),
    )
    for counted in COUNTS:
        public = counted.replace("%s", PUBLIC)
        op.execute("INSERT INTO pilot_counts (facet, value, pilots) " + public)
    op.create_table(
        "report_dates",
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=140), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("reported_from", sa.Date(), nullable=False),
        sa.Column("counted_from", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_report_dates_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_report_dates_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pilot_id", name=op.f("pk_report_dates")),
    )
    with op.batch_alter_table("report_dates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_dates_council_counted", ["council_id", "counted_from"], unique=False
        )
        batch_op.create_index(
            "ix_report_dates_council_reported",
            ["council_id", "reported_from", "late"],
            unique=False,
        )
        batch_op.create_index(
            "ix_report_dates_overdue",
            ["deadline", "title", "pilot_id", "reported_from"],
            unique=False,
        )
    _backfill()
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pilots_lead_council_id_updated_at", ["lead_council_id", "updated_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_lead_council_id_updated_at")
    with op.batch_alter_table("report_dates", schema=None) as batch_op:
        batch_op.drop_index("ix_report_dates_overdue")
        batch_op.drop_index("ix_report_dates_council_reported")
        batch_op.drop_index("ix_report_dates_council_counted")
    op.drop_table("report_dates")
    op.drop_table("pilot_counts")
