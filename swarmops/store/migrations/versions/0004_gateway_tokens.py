"""gateway bearer tokens

The agent gateway authenticates every request with a bearer token. Only the
SHA-256 of each token's secret is stored, under the token's public id.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import swarmops.store.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tokens',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('agent_id', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens'))
    )
    op.create_index(op.f('ix_tokens_agent_id'), 'tokens', ['agent_id'], unique=False)


def downgrade() -> None:
    op.drop_table('tokens')
