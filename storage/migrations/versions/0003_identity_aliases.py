"""identity aliases: a platform's second id for a person, linked to their primary reference

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identityalias',
    sa.Column('alias_ref', sa.String(length=200), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('alias_ref')
    )
    with op.batch_alter_table('identityalias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identityalias_ref'), ['ref'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('identityalias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identityalias_ref'))
    op.drop_table('identityalias')
