"""add feed index: pilots by (status, updated_at), so a feed poll reads only the index

Revision ID: feeds_0002
Revises: auth_0002
Create Date: 2026-11-28

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "feeds_0002"
down_revision = "auth_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index("ix_pilots_status_updated_at", ["status", "updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_status_updated_at")
