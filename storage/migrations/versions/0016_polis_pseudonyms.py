"""polispseudonym: each person's Polis participant id, assigned once and never reused

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'polispseudonym',
        sa.Column('pid', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('ref', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('pid'),
        sa.UniqueConstraint('ref'),
    )


def downgrade() -> None:
    op.drop_table('polispseudonym')
