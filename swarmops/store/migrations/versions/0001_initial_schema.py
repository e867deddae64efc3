# swarmops: allow[functions-per-file] one function per table keeps each under the function-lines limit
"""initial schema: every table the capabilities need, one function per table

Revision ID: 0001
Revises:
Create Date: 2026-11-24 16:47:23.992790
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import swarmops.store.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for step in STEPS:
        step()


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)


def _create_agents() -> None:
    op.create_table('agents',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), server_default='1', nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('heartbeat_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents'))
    )
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agents_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_agents_state'), ['state'], unique=False)


def _create_alerts() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('resource_kind', sa.String(length=32), nullable=False),
    sa.Column('resource_id', sa.String(length=256), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('raised_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notified_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('uq_alerts_open', ['kind', 'resource_kind', 'resource_id'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))


def _create_applied_revisions() -> None:
    op.create_table('applied_revisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('revision', sa.String(length=64), nullable=False),
    sa.Column('desired', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('applied_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applied_revisions'))
    )


def _create_compliance_runs() -> None:
    op.create_table('compliance_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('roots', sa.JSON(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('compliance_rate', sa.Float(), nullable=False),
    sa.Column('new_findings', sa.Integer(), nullable=True),
    sa.Column('fixed_findings', sa.Integer(), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=False),
    sa.Column('started_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_runs'))
    )


def _create_contracts() -> None:
    op.create_table('contracts',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('owner', sa.String(length=128), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('due', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('estimate_hours', sa.Float(), nullable=True),
    sa.Column('required_skills', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fence_token', sa.Integer(), server_default='0', nullable=False),
    sa.Column('spec_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_status'), ['status'], unique=False)


def _create_fencing_rejections() -> None:
    op.create_table('fencing_rejections',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('resource_kind', sa.String(length=32), nullable=False),
    sa.Column('resource_id', sa.String(length=128), nullable=False),
    sa.Column('agent_id', sa.String(length=128), nullable=True),
    sa.Column('token', sa.Integer(), nullable=True),
    sa.Column('current_token', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fencing_rejections'))
    )


def _create_messages() -> None:
    op.create_table('messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sender', sa.String(length=128), nullable=False),
    sa.Column('recipient', sa.String(length=128), nullable=False),
    sa.Column('queue', sa.String(length=160), nullable=False),
    sa.Column('priority', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('visible_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lease_token', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lease_expires_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('correlation_id', sa.String(length=128), nullable=True),
    sa.Column('reply_to', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('dead_reason', sa.Text(), nullable=True),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=256), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('idempotency_key', 'recipient', name=op.f('uq_messages_idempotency_key_recipient'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_recipient_status_priority_visible_at'), ['recipient', 'status', 'priority', 'visible_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_status_lease_expires_at'), ['status', 'lease_expires_at'], unique=False)


def _create_probe_results() -> None:
    op.create_table('probe_results',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('target', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('latency_s', sa.Float(), nullable=False),
    sa.Column('detail', sa.Text(), server_default='', nullable=False),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_probe_results'))
    )
    with op.batch_alter_table('probe_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_probe_results_target_at'), ['target', 'at'], unique=False)


def _create_queues() -> None:
    op.create_table('queues',
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_queues'))
    )


def _create_stage_runs() -> None:
    op.create_table('stage_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('flow_run_id', sa.String(length=64), nullable=True),
    sa.Column('started_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_runs'))
    )


def _create_agent_events() -> None:
    op.create_table('agent_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('agent_id', sa.String(length=128), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=32), nullable=True),
    sa.Column('to_state', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=256), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_events_agent_id_agents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_events')),
    sa.UniqueConstraint('agent_id', 'seq', name=op.f('uq_agent_events_agent_id_seq')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_agent_events_idempotency_key'))
    )


def _create_assignments() -> None:
    op.create_table('assignments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('contract_id', sa.String(length=128), nullable=False),
    sa.Column('agent_id', sa.String(length=128), nullable=False),
    sa.Column('fence_token', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_assignments_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('contract_id', 'fence_token', name=op.f('uq_assignments_contract_id_fence_token'))
    )


def _create_contract_events() -> None:
    op.create_table('contract_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('contract_id', sa.String(length=128), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('owner', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=256), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_events_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_events')),
    sa.UniqueConstraint('contract_id', 'seq', name=op.f('uq_contract_events_contract_id_seq')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_contract_events_idempotency_key'))
    )


def _create_contract_tasks() -> None:
    op.create_table('contract_tasks',
    sa.Column('contract_id', sa.String(length=128), nullable=False),
    sa.Column('task_id', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), server_default='1', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('done_at', swarmops.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_tasks_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contract_id', 'task_id', name=op.f('pk_contract_tasks'))
    )


def _create_findings() -> None:
    op.create_table('findings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.Text(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('limit', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('is_new', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['compliance_runs.id'], name=op.f('fk_findings_run_id_compliance_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_run_id'), ['run_id'], unique=False)


def _create_progress_events() -> None:
    op.create_table('progress_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('contract_id', sa.String(length=128), nullable=False),
    sa.Column('agent_id', sa.String(length=128), nullable=False),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('task_id', sa.String(length=128), nullable=True),
    sa.Column('regression', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('fence_token', sa.Integer(), nullable=True),
    sa.Column('at', swarmops.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=256), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_progress_events_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_events')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_progress_events_idempotency_key'))
    )
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_events_contract_id_at'), ['contract_id', 'at'], unique=False)


STEPS = (
    _create_agents,
    _create_alerts,
    _create_applied_revisions,
    _create_compliance_runs,
    _create_contracts,
    _create_fencing_rejections,
    _create_messages,
    _create_probe_results,
    _create_queues,
    _create_stage_runs,
    _create_agent_events,
    _create_assignments,
    _create_contract_events,
    _create_contract_tasks,
    _create_findings,
    _create_progress_events,
)
TABLES = ("agents", "alerts", "applied_revisions", "compliance_runs", "contracts", "fencing_rejections", "messages", "probe_results", "queues", "stage_runs", "agent_events", "assignments", "contract_events", "contract_tasks", "findings", "progress_events")
