"""add page indexes: pilots by (lead council, status) for a council's page and reporting record,
by (verdict, status) for the counts on the home page, and a reporting index (status, lead
council, end dates, title) from which the overdue list and every council's reporting record are
worked out without reading pilot rows; progress updates by (pilot, date) for the latest update

Revision ID: pages_0001
Revises: councils_0001
Create Date: 2026-12-03

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "pages_0001"
down_revision = "councils_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pilots_lead_council_id_status", ["lead_council_id", "status"], unique=False
        )
        batch_op.create_index("ix_pilots_verdict_status", ["verdict", "status"], unique=False)
        batch_op.create_index(
            "ix_pilots_reporting",
            ["status", "lead_council_id", "planned_end_date", "actual_end_date", "title"],
            unique=False,
        )
    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.create_index("ix_progress_updates_pilot_id_on", ["pilot_id", "on"], unique=False)


def downgrade():
    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_updates_pilot_id_on")
    with op.batch_alter_table("pilots", schema=None) as batch_op:
        batch_op.drop_index("ix_pilots_reporting")
        batch_op.drop_index("ix_pilots_verdict_status")
        batch_op.drop_index("ix_pilots_lead_council_id_status")
