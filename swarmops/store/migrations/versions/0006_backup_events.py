"""backup_events: what happened to each backup of the store

One row per event of a backup (``created``, ``verified``, ``verify_failed``), with
when the backup was taken and its size: the backup metrics (the newest verified
backup's time, the newest backup's size, verification failures ever) and the
operations stage read it. The backups are files with manifests in the backup folder.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import swarmops.store.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

UTC = swarmops.store.types.UTCDateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'backup_events',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('backup', sa.String(length=128), nullable=False),
        sa.Column('event', sa.String(length=16), nullable=False),
        sa.Column('taken_at', UTC, nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_events')),
    )
    op.create_index(
        op.f('ix_backup_events_event_taken_at'), 'backup_events', ['event', 'taken_at']
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_backup_events_event_taken_at'), table_name='backup_events')
    op.drop_table('backup_events')
