"""link round evidence: closed consultations attached to a prioritisation round as evidence

Revision ID: choosing_0004
Revises: pages_0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "choosing_0004"
down_revision = "pages_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "round_consultations",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_round_consultations_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_consultations_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "consultation_id", name=op.f("pk_round_consultations")),
    )
    with op.batch_alter_table("round_consultations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_consultations_consultation_id"), ["consultation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("round_consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_consultations_consultation_id"))
    op.drop_table("round_consultations")
