"""add appraisals: a pilot's options, their cost and benefit lines and process steps, with the
simulation's results stored beside them (an idea's appraisal will add a nullable idea_id)

Revision ID: appraisal_0001
Revises: cache_0001
Create Date: 2026-12-03

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "appraisal_0001"
down_revision = "cache_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appraisals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("horizon_years", sa.Integer(), nullable=False),
        sa.Column("price_year", sa.Integer(), nullable=False),
        sa.Column("discount_edition", sa.String(length=60), nullable=False),
        sa.Column("optimism_bias", sa.JSON(), nullable=True),
        sa.Column("offline_floor_percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("iterations", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("horizon_years >= 1", name=op.f("ck_appraisals_horizon_positive")),
        sa.CheckConstraint("iterations >= 1", name=op.f("ck_appraisals_iterations_positive")),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_appraisals_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisals")),
        sa.UniqueConstraint("pilot_id", name=op.f("uq_appraisals_pilot_id")),
    )
    op.create_table(
        "appraisal_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("process_years", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_options_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_options")),
    )
    with op.batch_alter_table("appraisal_options", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_options_appraisal_id"), ["appraisal_id"], unique=False
        )

    op.create_table(
        "appraisal_benefit_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cashable", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("low_pence", sa.BigInteger(), nullable=False),
        sa.Column("likely_pence", sa.BigInteger(), nullable=False),
        sa.Column("high_pence", sa.BigInteger(), nullable=False),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("confidence_grade", sa.Integer(), nullable=False),
        sa.Column("deadweight_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("displacement_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("leakage_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("substitution_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("unit_cost_reference", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["appraisal_options.id"],
            name=op.f("fk_appraisal_benefit_lines_option_id_appraisal_options"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_benefit_lines")),
    )
    with op.batch_alter_table("appraisal_benefit_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_benefit_lines_option_id"), ["option_id"], unique=False
        )

    op.create_table(
        "appraisal_cost_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("recurrence", sa.String(length=20), nullable=False),
        sa.Column("nature", sa.String(length=20), nullable=False),
        sa.Column("low_pence", sa.BigInteger(), nullable=False),
        sa.Column("likely_pence", sa.BigInteger(), nullable=False),
        sa.Column("high_pence", sa.BigInteger(), nullable=False),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("confidence_grade", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["appraisal_options.id"],
            name=op.f("fk_appraisal_cost_lines_option_id_appraisal_options"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_cost_lines")),
    )
    with op.batch_alter_table("appraisal_cost_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_cost_lines_option_id"), ["option_id"], unique=False
        )

    op.create_table(
        "appraisal_process_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("volume_low", sa.Integer(), nullable=False),
        sa.Column("volume_likely", sa.Integer(), nullable=False),
        sa.Column("volume_high", sa.Integer(), nullable=False),
        sa.Column("staff_minutes", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("cost_per_contact_pence", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["appraisal_options.id"],
            name=op.f("fk_appraisal_process_steps_option_id_appraisal_options"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_process_steps")),
    )
    with op.batch_alter_table("appraisal_process_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_process_steps_option_id"), ["option_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("appraisal_process_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_process_steps_option_id"))

    op.drop_table("appraisal_process_steps")
    with op.batch_alter_table("appraisal_cost_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_cost_lines_option_id"))

    op.drop_table("appraisal_cost_lines")
    with op.batch_alter_table("appraisal_benefit_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_benefit_lines_option_id"))

    op.drop_table("appraisal_benefit_lines")
    with op.batch_alter_table("appraisal_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_options_appraisal_id"))

    op.drop_table("appraisal_options")
    op.drop_table("appraisals")
