"""add search vector: the weighted tsvector the PostgreSQL search backend matches against

Revision ID: search_0002
Revises: feeds_0002
Create Date: 2026-11-28

On PostgreSQL the column is a tsvector under a GIN index. On SQLite (where the Whoosh backend
does search) it is an always-empty text column, so the models and the schema agree on both.
After upgrading a PostgreSQL database, run `flask search reindex` to fill it.
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "search_0002"
down_revision = "feeds_0002"
branch_labels = None
depends_on = None


def upgrade():
    on_postgres = op.get_bind().dialect.name == "postgresql"
    column_type = postgresql.TSVECTOR() if on_postgres else sa.Text()
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_vector", column_type, nullable=True))
        batch_op.create_index(
            "ix_pilots_search_vector", ["search_vector"], unique=False, postgresql_using="gin"
        )


def downgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_search_vector", postgresql_using="gin")
        batch_op.drop_column("search_vector")
