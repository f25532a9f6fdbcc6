"""the working group's session cycle: states, format, attendance and agenda of
a session; decisions and the proposals they concern; follow-up changes linked
to the session that recorded them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:40:00

The review sessions already recorded were held (they were recorded after the
meeting): they become sessions in the state "held", in person.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_sessions") as batch:
        batch.add_column(
            sa.Column("format", sa.String(16), nullable=False, server_default="in_person")
        )
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="held"))
        batch.add_column(sa.Column("state_changed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("attendance", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("agenda", sa.Text()))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE review_sessions SET state_changed_at = recorded_at")

    with op.batch_alter_table("proposal_changes") as batch:
        batch.add_column(sa.Column("review_session_id", sa.Integer()))
        batch.create_foreign_key(
            op.f("fk_proposal_changes_review_session_id_review_sessions"),
            "review_sessions",
            ["review_session_id"],
            ["id"],
        )
    # Partial: most changes belong to no session (see the model).
    op.create_index(
        op.f("ix_proposal_changes_review_session_id"),
        "proposal_changes",
        ["review_session_id"],
        sqlite_where=sa.text("review_session_id IS NOT NULL"),
        postgresql_where=sa.text("review_session_id IS NOT NULL"),
    )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_session_id", sa.Integer(), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer()),
        sa.Column("due_on", sa.Date()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_changed_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_session_id"],
            ["review_sessions.id"],
            name=op.f("fk_decisions_review_session_id_review_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["organisations.id"], name=op.f("fk_decisions_owner_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_review_session_id"), "decisions", ["review_session_id"])
    op.create_table(
        "decision_proposals",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_proposals_decision_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["number"],
            ["proposals.number"],
            name=op.f("fk_decision_proposals_number_proposals"),
        ),
        sa.PrimaryKeyConstraint("decision_id", "number", name=op.f("pk_decision_proposals")),
    )


def downgrade() -> None:
    op.drop_table("decision_proposals")
    op.drop_index(op.f("ix_decisions_review_session_id"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_index(op.f("ix_proposal_changes_review_session_id"), table_name="proposal_changes")
    with op.batch_alter_table("proposal_changes") as batch:
        batch.drop_constraint(
            op.f("fk_proposal_changes_review_session_id_review_sessions"), type_="foreignkey"
        )
        batch.drop_column("review_session_id")
    with op.batch_alter_table("review_sessions") as batch:
        for column in ("version", "agenda", "attendance", "state_changed_at", "state", "format"):
            batch.drop_column(column)
