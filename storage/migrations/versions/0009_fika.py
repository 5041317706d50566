"""randomised fika: people, rounds (with their seeds), groups, members and their outcomes, fika ideas

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fikaperson',
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=True),
    sa.Column('site', sa.String(length=200), nullable=True),
    sa.Column('profession', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('opted_in', sa.Boolean(), nullable=False),
    sa.Column('skip_next', sa.Boolean(), nullable=False),
    sa.Column('stay_asked_round', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ref')
    )
    op.create_index('ix_fikaperson_opted_in', 'fikaperson', ['opted_in'], unique=False)
    op.create_table('fikaround',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('challenge_key', sa.String(length=40), nullable=False),
    sa.Column('question', sa.String(length=2000), nullable=False),
    sa.Column('started_by', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('follow_up_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index('ix_fikaround_follow_up_at', 'fikaround', ['follow_up_at'], unique=False)
    op.create_table('fikagroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['fikaround.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_fikagroup_round_id', 'fikagroup', ['round_id'], unique=False)
    op.create_table('fikamember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_ref', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['fikagroup.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['fikaround.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'person_ref', name='uq_fikamember_round_person')
    )
    op.create_index('ix_fikamember_group_id', 'fikamember', ['group_id'], unique=False)
    op.create_index('ix_fikamember_person_round', 'fikamember', ['person_ref', 'round_id'], unique=False)
    op.create_table('fikaidea',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['fikagroup.id'], ),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('idea_id')
    )
    op.create_index('ix_fikaidea_group_id', 'fikaidea', ['group_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_fikaidea_group_id', table_name='fikaidea')
    op.drop_table('fikaidea')
    op.drop_index('ix_fikamember_person_round', table_name='fikamember')
    op.drop_index('ix_fikamember_group_id', table_name='fikamember')
    op.drop_table('fikamember')
    op.drop_index('ix_fikagroup_round_id', table_name='fikagroup')
    op.drop_table('fikagroup')
    op.drop_index('ix_fikaround_follow_up_at', table_name='fikaround')
    op.drop_table('fikaround')
    op.drop_index('ix_fikaperson_opted_in', table_name='fikaperson')
    op.drop_table('fikaperson')
