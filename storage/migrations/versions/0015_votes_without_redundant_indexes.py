"""votes and vote reactions: drop the idea_id indexes their unique constraints already cover

Each vote wrote four index entries and each reaction three; the unique constraints (idea_id, voter_ref) and
(idea_id, voter_ref, emoji) lead with idea_id, so they serve every lookup by idea the dropped indexes served.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_vote_idea_id', table_name='vote')
    op.drop_index('ix_votereaction_idea_id', table_name='votereaction')


def downgrade() -> None:
    op.create_index('ix_votereaction_idea_id', 'votereaction', ['idea_id'], unique=False)
    op.create_index('ix_vote_idea_id', 'vote', ['idea_id'], unique=False)
