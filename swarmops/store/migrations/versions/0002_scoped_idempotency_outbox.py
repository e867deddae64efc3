"""scoped idempotency and the transactional outbox

Idempotency keys move from one unique index per table (global on transitions,
per recipient on messages) to one ``idempotency`` record per (scope, key), the
scope being the actor the key belongs to. Alerts and stage events gain an
``outbox`` written in the same transaction as their cause.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import swarmops.store.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

KEYED = (
    ('agent_events', 'uq_agent_events_idempotency_key'),
    ('contract_events', 'uq_contract_events_idempotency_key'),
    ('progress_events', 'uq_progress_events_idempotency_key'),
    ('messages', 'uq_messages_idempotency_key_recipient'),
)


def upgrade() -> None:
    for table, constraint in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(constraint, type_='unique')
    _create_idempotency()
    _create_outbox()


def downgrade() -> None:
    op.drop_table('outbox')
    op.drop_table('idempotency')


def _create_idempotency() -> None:
    op.create_table('idempotency',
    sa.Column('scope', sa.String(length=160), nullable=False),
    sa.Column('key', sa.String(length=256), nullable=False),
    sa.Column('operation', sa.String(length=64), nullable=False),
    sa.Column('request', sa.String(length=64), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency'))
    )


def _create_outbox() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event', sa.String(length=128), nullable=False),
    sa.Column('resource_kind', sa.String(length=32), nullable=False),
    sa.Column('resource_id', sa.String(length=256), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('alert_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_outbox_alert_id_alerts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    op.create_index(op.f('ix_outbox_published_at_id'), 'outbox', ['published_at', 'id'], unique=False)
