"""path reservations with fencing, and agent sessions (idle versus dead)

``reservation_repos`` keeps one row per repository: its fencing counter, how many
grants it refused (a counter for the metrics), and the
row a reservation locks so conflicting reservations of one repository are decided
one at a time. ``reservations`` are leases on path globs; a row is never deleted,
it ends (released, expired, failover, contract done or reassigned) with a reason.
``agent_sessions`` records what an agent's session hooks last said, so a stopped
session reads as idle rather than silent.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import swarmops.store.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

UTC = swarmops.store.types.UTCDateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'reservation_repos',
        sa.Column('repository', sa.String(length=256), nullable=False),
        sa.Column('fence', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('refused', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('repository', name=op.f('pk_reservation_repos')),
    )
    _create_reservations()
    op.create_table(
        'agent_sessions',
        sa.Column('agent_id', sa.String(length=128), nullable=False),
        sa.Column('session_id', sa.String(length=128), nullable=True),
        sa.Column('tool', sa.String(length=32), nullable=True),
        sa.Column('started_at', UTC, nullable=False),
        sa.Column('stopped_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ['agent_id'], ['agents.id'], name=op.f('fk_agent_sessions_agent_id_agents')
        ),
        sa.PrimaryKeyConstraint('agent_id', name=op.f('pk_agent_sessions')),
    )


def _create_reservations() -> None:
    op.create_table(
        'reservations',
        sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
        sa.Column('repository', sa.String(length=256), nullable=False),
        sa.Column('pattern', sa.String(length=1024), nullable=False),
        sa.Column('exclusive', sa.Boolean(), nullable=False),
        sa.Column('agent_id', sa.String(length=128), nullable=False),
        sa.Column('contract_id', sa.String(length=128), nullable=True),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.Column('ttl_s', sa.Float(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('renewed_at', UTC, nullable=False),
        sa.Column('expires_at', UTC, nullable=False),
        sa.Column('ended_at', UTC, nullable=True),
        sa.Column('end_reason', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ['agent_id'], ['agents.id'], name=op.f('fk_reservations_agent_id_agents')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reservations')),
    )
    for columns in (['repository', 'ended_at'], ['agent_id', 'ended_at'], ['contract_id'],
                    ['expires_at']):
        name = op.f('ix_reservations_' + '_'.join(columns))
        op.create_index(name, 'reservations', columns, unique=False)


def downgrade() -> None:
    op.drop_table('agent_sessions')
    op.drop_table('reservations')
    op.drop_table('reservation_repos')
