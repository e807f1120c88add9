"""add idea appraisals: an appraisal may belong to an idea (until it becomes a pilot) instead of
a pilot

Revision ID: appraisal_0003
Revises: alerts_0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "appraisal_0003"
down_revision = "alerts_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appraisals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idea_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_appraisals_idea_id"), ["idea_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_appraisals_idea_id_ideas"),
            "ideas",
            ["idea_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("appraisals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_appraisals_idea_id_ideas"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_appraisals_idea_id"), type_="unique")
        batch_op.drop_column("idea_id")
