"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('next_idea_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('conversationreference',
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('challenge_key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_ref', sa.String(length=200), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('horizon', sa.String(length=2), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('vote_count', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_author_ref'), ['author_ref'], unique=False)
        batch_op.create_index('ix_idea_challenge_status', ['challenge_key', 'status'], unique=False)
        batch_op.create_index('ix_idea_challenge_votes', ['challenge_key', 'vote_count'], unique=False)
        batch_op.create_index('ix_idea_votes', ['vote_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_merged_into_id'), ['merged_into_id'], unique=False)

    op.create_table('inboundevent',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('participant',
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('display_name', sa.String(), nullable=False),
    sa.Column('notifications', sa.Boolean(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_contribution_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('ref')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_participant_first_contribution_at'), ['first_contribution_at'], unique=False)

    op.create_table('scheduleclaim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=200), nullable=False),
    sa.Column('fire_time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=200), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job_id', 'fire_time', name='uq_claim_job_fire')
    )
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('author_ref', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_ref', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_ref')
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_ref'), ['author_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_idea_id'), ['idea_id'], unique=False)

    op.create_table('ideapost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('conversation', sa.String(length=300), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'conversation', 'message_id', name='uq_post_message')
    )
    with op.batch_alter_table('ideapost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideapost_idea_id'), ['idea_id'], unique=False)

    op.create_table('ideatheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idea_id', 'theme', name='uq_theme_idea_theme')
    )
    with op.batch_alter_table('ideatheme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideatheme_idea_id'), ['idea_id'], unique=False)

    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('conversation', sa.String(length=300), nullable=True),
    sa.Column('user_ref', sa.String(length=200), nullable=True),
    sa.Column('thread', sa.String(length=300), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('coalesce_key', sa.String(length=300), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('platform_message_id', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coalesce_key')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['state', 'next_attempt_at'], unique=False)

    op.create_table('statuschange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=False),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('by_ref', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statuschange_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_statuschange_idea_id'), ['idea_id'], unique=False)

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('voter_ref', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idea_id', 'voter_ref', name='uq_vote_idea_voter')
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_voter_ref'), ['voter_ref'], unique=False)

    op.create_table('votereaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('voter_ref', sa.String(length=200), nullable=False),
    sa.Column('emoji', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idea_id', 'voter_ref', 'emoji', name='uq_reaction_idea_voter_emoji')
    )
    with op.batch_alter_table('votereaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votereaction_idea_id'), ['idea_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('votereaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votereaction_idea_id'))

    op.drop_table('votereaction')
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_voter_ref'))
        batch_op.drop_index(batch_op.f('ix_vote_idea_id'))

    op.drop_table('vote')
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statuschange_idea_id'))
        batch_op.drop_index(batch_op.f('ix_statuschange_created_at'))

    op.drop_table('statuschange')
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outboxmessage')
    with op.batch_alter_table('ideatheme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideatheme_idea_id'))

    op.drop_table('ideatheme')
    with op.batch_alter_table('ideapost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideapost_idea_id'))

    op.drop_table('ideapost')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_idea_id'))
        batch_op.drop_index(batch_op.f('ix_comment_created_at'))
        batch_op.drop_index(batch_op.f('ix_comment_author_ref'))

    op.drop_table('comment')
    op.drop_table('scheduleclaim')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_first_contribution_at'))

    op.drop_table('participant')
    op.drop_table('inboundevent')
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_idea_created_at'))
        batch_op.drop_index('ix_idea_votes')
        batch_op.drop_index('ix_idea_challenge_votes')
        batch_op.drop_index('ix_idea_challenge_status')
        batch_op.drop_index(batch_op.f('ix_idea_author_ref'))

    op.drop_table('idea')
    op.drop_table('conversationreference')
    op.drop_table('campaign')

