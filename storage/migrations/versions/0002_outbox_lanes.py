"""outbox lanes: an indexed delivery queue key, so ordering checks stay lookups under heavy fan-out

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lane', sa.String(length=320), nullable=False, server_default=''))
    op.execute("UPDATE outboxmessage SET lane = CASE WHEN conversation IS NOT NULL AND conversation <> '' "
               "THEN conversation ELSE 'user:' || coalesce(user_ref, '') END")
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_lane', ['platform', 'lane', 'state', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_lane')
        batch_op.drop_column('lane')
