"""pending ideas: texts that looked like a command, held for their author's "Post as idea" button

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pendingidea',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('author_ref', sa.String(length=200), nullable=False),
        sa.Column('challenge_key', sa.String(length=40), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('token'),
    )
    with op.batch_alter_table('pendingidea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pendingidea_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pendingidea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pendingidea_created_at'))
    op.drop_table('pendingidea')
