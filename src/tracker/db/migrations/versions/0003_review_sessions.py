"""review sessions of the CNCD working group

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 09:00:00

Written beside "0002" (contributions), built in parallel: when both are
merged, this file's down_revision becomes "0002".
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_sessions')),
    sa.UniqueConstraint('held_on', name=op.f('uq_review_sessions_held_on'))
    )


def downgrade() -> None:
    op.drop_table('review_sessions')
