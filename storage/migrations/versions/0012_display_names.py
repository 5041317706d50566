"""display names: how each person is shown, with when the platform last told us

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'displayname',
        sa.Column('ref', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('ref'),
    )
    # Names the bot already knew (from Teams and the playground) carry over; first_seen is the best date known.
    op.execute("INSERT INTO displayname (ref, name, updated_at) "
               "SELECT ref, substr(display_name, 1, 200), first_seen FROM participant WHERE display_name != ''")


def downgrade() -> None:
    op.drop_table('displayname')
