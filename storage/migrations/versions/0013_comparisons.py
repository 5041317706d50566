"""comparisons: answers to "A or B?" for pairwise preference ranking

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'comparison',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_ref', sa.String(length=200), nullable=False),
        sa.Column('challenge_key', sa.String(length=40), nullable=False),
        sa.Column('idea_a_id', sa.Integer(), nullable=False),
        sa.Column('idea_b_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=4), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['idea_a_id'], ['idea.id']),
        sa.ForeignKeyConstraint(['idea_b_id'], ['idea.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_ref', 'idea_a_id', 'idea_b_id', name='uq_comparison_person_pair'),
    )
    with op.batch_alter_table('comparison', schema=None) as batch_op:
        batch_op.create_index('ix_comparison_challenge', ['challenge_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_comparison_person_ref'), ['person_ref'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('comparison', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comparison_person_ref'))
        batch_op.drop_index('ix_comparison_challenge')
    op.drop_table('comparison')
