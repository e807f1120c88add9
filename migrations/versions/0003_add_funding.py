"""add funding: programmes, their pillars, and awards to pilots

Revision ID: funding_0002
Revises: tracker_0002
Create Date: 2026-11-28

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "funding_0002"
down_revision = "tracker_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "funding_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("funder_name", sa.String(length=200), nullable=False),
        sa.Column("funder_org_id", sa.String(length=60), nullable=False),
        sa.Column("round", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("total_budget_pence", sa.BigInteger(), nullable=False),
        sa.Column("report_due_days", sa.Integer(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_funding_programmes_slug")),
    )
    with op.batch_alter_table("funding_programmes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_programmes_round"), ["round"], unique=False)

    op.create_table(
        "funding_programme_pillars",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("pillar_slug", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["funding_programmes.id"],
            name=op.f("fk_funding_programme_pillars_programme_id_funding_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "pillar_slug", name=op.f("pk_funding_programme_pillars")
        ),
    )
    op.create_table(
        "funding_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("recipient_council_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("amount_awarded_pence", sa.BigInteger(), nullable=False),
        sa.Column("amount_disbursed_pence", sa.BigInteger(), nullable=False),
        sa.Column("award_date", sa.Date(), nullable=False),
        sa.Column("planned_start_date", sa.Date(), nullable=True),
        sa.Column("planned_end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_awarded_pence >= 0", name=op.f("ck_funding_awards_awarded_not_negative")
        ),
        sa.CheckConstraint(
            "amount_disbursed_pence >= 0 AND amount_disbursed_pence <= amount_awarded_pence",
            name=op.f("ck_funding_awards_disbursed_within_awarded"),
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"], ["pilots.id"], name=op.f("fk_funding_awards_pilot_id_pilots")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["funding_programmes.id"],
            name=op.f("fk_funding_awards_programme_id_funding_programmes"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_council_id"],
            ["councils.id"],
            name=op.f("fk_funding_awards_recipient_council_id_councils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_awards")),
        sa.UniqueConstraint("programme_id", "reference", name="uq_funding_awards_reference"),
    )
    with op.batch_alter_table("funding_awards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funding_awards_award_date"), ["award_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_funding_awards_pilot_id"), ["pilot_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_funding_awards_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_funding_awards_recipient_council_id"),
            ["recipient_council_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("funding_awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_awards_recipient_council_id"))
        batch_op.drop_index(batch_op.f("ix_funding_awards_programme_id"))
        batch_op.drop_index(batch_op.f("ix_funding_awards_pilot_id"))
        batch_op.drop_index(batch_op.f("ix_funding_awards_award_date"))

    op.drop_table("funding_awards")
    op.drop_table("funding_programme_pillars")
    with op.batch_alter_table("funding_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_programmes_round"))

    op.drop_table("funding_programmes")
