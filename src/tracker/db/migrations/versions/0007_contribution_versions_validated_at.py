"""index for reading the contributions validated between two dates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:40:00

The note page asks the database for the contributions validated between its
two dates (the first 100, and how many there are), and a past day for those
validated by then: with this index the database finds the versions of a
window without reading all of them (100,000 in the benchmark).
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_contribution_versions_validated_at",
        "contribution_versions",
        ["validated_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_contribution_versions_validated_at", table_name="contribution_versions")
