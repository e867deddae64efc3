"""messages.dead_count: how many times a message was dead-lettered

A replayed dead letter goes back to pending, so counting rows in status dead is a
gauge (what is dead now). ``dead_count`` only ever grows (each move to the dead
letters adds one, a replay keeps it), so its sum is the monotonic counter
``swarmops_messages_dead_lettered_total``. Rows dead before this revision count once.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(
            sa.Column('dead_count', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute("UPDATE messages SET dead_count = 1 WHERE status = 'dead'")


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('dead_count')
