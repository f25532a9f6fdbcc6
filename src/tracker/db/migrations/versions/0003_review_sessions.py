"""review sessions of the CNCD working group

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
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
