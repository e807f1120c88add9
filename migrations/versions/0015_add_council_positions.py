"""add council positions: each council's centroid (lat, long) and 2020 population

The mySociety register has carried `lat`, `long` and `pop-2020` all along; the importer ignored
them. The columns start empty: an existing registry re-imports the register once
(`flask councils import PATH_OR_URL`) to fill them, and the map shows a council only once it has
a position.

Revision ID: councils_0001
Revises: api_0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "councils_0001"
down_revision = "api_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("councils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column("population_2020", sa.Integer(), nullable=True))


def downgrade():
    # Dropped in place (SQLite has ALTER TABLE DROP COLUMN since 3.35), not by batch mode's copy
    # of the table: other tables' foreign keys name councils, so SQLite refuses to drop it.
    for name in ("population_2020", "longitude", "latitude"):
        op.drop_column("councils", name)
