"""add appraisal outturn: what each cost and benefit line came to over the pilot, recorded once
its outcome report is filed, beside the appraisal's forecast

Revision ID: appraisal_0002
Revises: auth_0003
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "appraisal_0002"
down_revision = "auth_0003"
branch_labels = None
depends_on = None

TABLES = ("appraisal_cost_lines", "appraisal_benefit_lines")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("outturn_pence", sa.BigInteger(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("outturn_pence")
