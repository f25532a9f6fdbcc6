"""e-mail: how each account hears of submitted contributions (at once, a daily
digest, or not), whether it receives the reminders before a session, and the
outbox's key that makes a digest or a reminder go only once

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column(
                "submission_mail", sa.String(16), nullable=False, server_default="immediate"
            )
        )
        batch.add_column(
            sa.Column("notify_reminders", sa.Boolean(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("mail_outbox") as batch:
        batch.add_column(sa.Column("dedup_key", sa.String(length=160), nullable=True))
        batch.create_unique_constraint(op.f("uq_mail_outbox_dedup_key"), ["dedup_key"])


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox") as batch:
        batch.drop_constraint(op.f("uq_mail_outbox_dedup_key"), type_="unique")
        batch.drop_column("dedup_key")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("notify_reminders")
        batch.drop_column("submission_mail")
