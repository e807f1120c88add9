"""add consultations: residents' priorities (a question, its options, service areas or ideas,
a close date, pick or rank), answers online (one per browser session) or from paper, phone and in
person, the options each chose, and each comment's moderation

Revision ID: choosing_0003
Revises: choosing_0002
Create Date: 2026-12-03

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "choosing_0003"
down_revision = "choosing_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("answer_mode", sa.String(length=10), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_choices >= 1", name=op.f("ck_consultations_at_least_one_choice")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_consultations_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_consultations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consultations_council_id"), ["council_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consultations_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consultations_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "consultation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("session_key", sa.String(length=64), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("comment_status", sa.String(length=10), nullable=False),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_answers_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["users.id"],
            name=op.f("fk_consultation_answers_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"],
            ["users.id"],
            name=op.f("fk_consultation_answers_moderated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_answers")),
        sa.UniqueConstraint(
            "consultation_id", "session_key", name="uq_consultation_answers_session"
        ),
    )
    with op.batch_alter_table("consultation_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_answers_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultation_answers_entered_by_id"), ["entered_by_id"], unique=False
        )

    op.create_table(
        "consultation_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_options_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_consultation_options_idea_id_ideas"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_options")),
    )
    with op.batch_alter_table("consultation_options", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_options_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultation_options_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "consultation_answer_choices",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["consultation_answers.id"],
            name=op.f("fk_consultation_answer_choices_answer_id_consultation_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["consultation_options.id"],
            name=op.f("fk_consultation_answer_choices_option_id_consultation_options"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "answer_id", "option_id", name=op.f("pk_consultation_answer_choices")
        ),
    )
    with op.batch_alter_table("consultation_answer_choices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_answer_choices_option_id"), ["option_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("consultation_answer_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_answer_choices_option_id"))

    op.drop_table("consultation_answer_choices")
    with op.batch_alter_table("consultation_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_options_idea_id"))
        batch_op.drop_index(batch_op.f("ix_consultation_options_consultation_id"))

    op.drop_table("consultation_options")
    with op.batch_alter_table("consultation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_answers_entered_by_id"))
        batch_op.drop_index(batch_op.f("ix_consultation_answers_consultation_id"))

    op.drop_table("consultation_answers")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_updated_at"))
        batch_op.drop_index(batch_op.f("ix_consultations_status"))
        batch_op.drop_index(batch_op.f("ix_consultations_council_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_closed_at"))

    op.drop_table("consultations")
