"""sensemaking: the full-text index of idea text (FTS5 or tsvector), held-back idea drafts, suggested themes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage import search_index

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ideadraft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_ref', sa.String(length=200), nullable=False),
    sa.Column('challenge_key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('suggested', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ideadraft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideadraft_author_ref'), ['author_ref'], unique=False)
    op.create_table('suggestedtheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_key', sa.String(length=40), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('idea_numbers', sa.Text(), nullable=False),
    sa.Column('suggested_to', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    if op.get_bind().dialect.name == 'sqlite':
        for statement in (*search_index.SQLITE_CREATE, *search_index.SQLITE_TRIGGER_DDL, search_index.SQLITE_REBUILD):
            op.execute(statement)
    else:
        for statement in search_index.POSTGRES_CREATE:
            op.execute(statement)


def downgrade() -> None:
    drops = search_index.SQLITE_DROP if op.get_bind().dialect.name == 'sqlite' else search_index.POSTGRES_DROP
    for statement in drops:
        op.execute(statement)
    op.drop_table('suggestedtheme')
    with op.batch_alter_table('ideadraft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideadraft_author_ref'))
    op.drop_table('ideadraft')
