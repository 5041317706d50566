"""idea hours: "Remind me" requests, one per person and hour

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ideahourreminderrequest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hour_key', sa.String(length=40), nullable=False),
        sa.Column('person_ref', sa.String(length=200), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hour_key', 'person_ref', name='uq_hour_reminder_request'),
    )
    op.create_index(op.f('ix_ideahourreminderrequest_hour_key'), 'ideahourreminderrequest', ['hour_key'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_ideahourreminderrequest_hour_key'), table_name='ideahourreminderrequest')
    op.drop_table('ideahourreminderrequest')
