"""add search changes: the log every server's Whoosh index applies to keep in step

Revision ID: search_0003
Revises: appraisal_0003
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "search_0003"
down_revision = "appraisal_0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_changes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("search_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_changes_changed_at"), ["changed_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("search_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_changes_changed_at"))
    op.drop_table("search_changes")
