"""idea hours: runs, posted questions, their posts, answers, agreements and early reactions

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ideahourrun',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hour_key', sa.String(length=40), nullable=False),
        sa.Column('challenge_key', sa.String(length=40), nullable=False),
        sa.Column('started_by', sa.String(length=200), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hour_key'),
    )
    op.create_table(
        'ideahourquestion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['ideahourrun.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'position', name='uq_hour_question_position'),
    )
    op.create_index('ix_ideahourquestion_run_id', 'ideahourquestion', ['run_id'], unique=False)
    op.create_table(
        'ideahourpost',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('conversation', sa.String(length=300), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['ideahourquestion.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'conversation', 'message_id', name='uq_hour_post_message'),
    )
    op.create_index('ix_ideahourpost_question_id', 'ideahourpost', ['question_id'], unique=False)
    op.create_table(
        'ideahouranswer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('conversation', sa.String(length=300), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=False),
        sa.Column('author_ref', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('promoted_idea_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['promoted_idea_id'], ['idea.id']),
        sa.ForeignKeyConstraint(['question_id'], ['ideahourquestion.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'conversation', 'message_id', name='uq_hour_answer_message'),
    )
    op.create_index('ix_ideahouranswer_question_id', 'ideahouranswer', ['question_id'], unique=False)
    op.create_table(
        'ideahouragreement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('person_ref', sa.String(length=200), nullable=False),
        sa.Column('emoji', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['ideahouranswer.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('answer_id', 'person_ref', 'emoji', name='uq_hour_agreement'),
    )
    op.create_index('ix_ideahouragreement_answer_id', 'ideahouragreement', ['answer_id'], unique=False)
    op.create_table(
        'ideahourearlyreaction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('conversation', sa.String(length=300), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=False),
        sa.Column('person_ref', sa.String(length=200), nullable=False),
        sa.Column('emoji', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'conversation', 'message_id', 'person_ref', 'emoji',
                            name='uq_hour_early_reaction'),
    )


def downgrade() -> None:
    op.drop_table('ideahourearlyreaction')
    op.drop_index('ix_ideahouragreement_answer_id', table_name='ideahouragreement')
    op.drop_table('ideahouragreement')
    op.drop_index('ix_ideahouranswer_question_id', table_name='ideahouranswer')
    op.drop_table('ideahouranswer')
    op.drop_index('ix_ideahourpost_question_id', table_name='ideahourpost')
    op.drop_table('ideahourpost')
    op.drop_index('ix_ideahourquestion_run_id', table_name='ideahourquestion')
    op.drop_table('ideahourquestion')
    op.drop_table('ideahourrun')
