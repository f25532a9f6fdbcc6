"""indexes for reading the follow-up history at national scale

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:30:00

The state of the proposals at a date is the latest change of each field of
each proposal up to that date: with these indexes each is one index look-up,
whatever the length of the history (a million rows in the benchmark), instead
of a read of the whole history. (A branch developed at the same time may also
add a migration after 0005; whoever merges second re-chains `down_revision`.)
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_proposal_changes_latest",
        "proposal_changes",
        ["proposal_id", "field", "changed_at", "id"],
    )
    op.create_index(
        "ix_proposal_changes_timeline",
        "proposal_changes",
        ["proposal_id", "changed_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_proposal_changes_timeline", table_name="proposal_changes")
    op.drop_index("ix_proposal_changes_latest", table_name="proposal_changes")
