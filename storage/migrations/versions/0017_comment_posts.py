"""commentpost: where a backed idea's comment was re-posted in its thread, so erasure can blank that copy

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'commentpost',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_ref', sa.String(length=300), nullable=False),
        sa.Column('platform', sa.String(length=40), nullable=False),
        sa.Column('conversation', sa.String(length=200), nullable=False),
        sa.Column('thread', sa.String(length=200), nullable=True),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'conversation', 'message_id', name='uq_commentpost_message'),
    )
    op.create_index(op.f('ix_commentpost_source_ref'), 'commentpost', ['source_ref'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_commentpost_source_ref'), table_name='commentpost')
    op.drop_table('commentpost')
