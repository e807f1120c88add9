"""add alerts: addresses that follow pilots, councils, pillars, programmes or searches by email

Revision ID: alerts_0001
Revises: choosing_0004
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "alerts_0001"
down_revision = "choosing_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("token_key", sa.String(length=32), nullable=False),
        sa.Column("confirm_nonce", sa.String(length=32), nullable=True),
        sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_addresses")),
        sa.UniqueConstraint("email", name=op.f("uq_alert_addresses_email")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=500), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["address_id"], ["alert_addresses.id"],
            name=op.f("fk_alerts_address_id_alert_addresses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("address_id", "subject_kind", "subject_key", name="uq_alerts_subject"),
    )  # fmt: skip
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_address_id"), ["address_id"], unique=False)
    op.create_table(
        "alert_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["address_id"], ["alert_addresses.id"],
            name=op.f("fk_alert_sends_address_id_alert_addresses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_sends")),
        sa.UniqueConstraint("key", name=op.f("uq_alert_sends_key")),
    )  # fmt: skip
    with op.batch_alter_table("alert_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_sends_address_id"), ["address_id"], unique=False)


def downgrade():
    with op.batch_alter_table("alert_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_sends_address_id"))
    op.drop_table("alert_sends")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_address_id"))
    op.drop_table("alerts")
    op.drop_table("alert_addresses")
