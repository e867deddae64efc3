"""The whole store schema as SQLAlchemy Core tables (the migrations create these).

Conventions: text ids chosen by people (agents, contracts) are the primary key;
log tables use an integer surrogate key plus a per-subject sequence number that
is unique, which is what makes concurrent appends safe; every write a retry
could repeat carries an optional idempotency key with a unique index.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.types import UTCDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = sa.String(128)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False, server_default="1"),
    sa.Column("skills", sa.JSON, nullable=False),
    sa.Column("heartbeat_at", UTCDateTime, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index(None, "role"),
    sa.Index(None, "state"),
)

agent_events = sa.Table(
    "agent_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("agent_id", ID, sa.ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("from_state", sa.String(32), nullable=True),
    sa.Column("to_state", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(256), nullable=True),
    sa.UniqueConstraint("agent_id", "seq"),
)

contracts = sa.Table(
    "contracts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("owner", ID, nullable=True),
    sa.Column("priority", sa.String(16), nullable=False),
    sa.Column("due", UTCDateTime, nullable=True),
    sa.Column("estimate_hours", sa.Float, nullable=True),
    sa.Column("required_skills", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("fence_token", sa.Integer, nullable=False, server_default="0"),
    sa.Column("spec_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("removed_at", UTCDateTime, nullable=True),
    sa.Index(None, "owner"),
    sa.Index(None, "status"),
)

contract_events = sa.Table(
    "contract_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("contract_id", ID, sa.ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("from_status", sa.String(32), nullable=True),
    sa.Column("to_status", sa.String(32), nullable=False),
    sa.Column("owner", ID, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(256), nullable=True),
    sa.UniqueConstraint("contract_id", "seq"),
)

contract_tasks = sa.Table(
    "contract_tasks",
    metadata,
    sa.Column(
        "contract_id", ID, sa.ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("task_id", sa.String(128), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("weight", sa.Float, nullable=False, server_default="1"),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("done_at", UTCDateTime, nullable=True),
)

progress_events = sa.Table(
    "progress_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("contract_id", ID, sa.ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("agent_id", ID, nullable=False),
    sa.Column("percent", sa.Float, nullable=True),
    sa.Column("task_id", sa.String(128), nullable=True),
    sa.Column("regression", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("fence_token", sa.Integer, nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(256), nullable=True),
    sa.Index(None, "contract_id", "at"),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("contract_id", ID, sa.ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("agent_id", ID, nullable=False),
    sa.Column("fence_token", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("contract_id", "fence_token"),
)

fencing_rejections = sa.Table(
    "fencing_rejections",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("resource_kind", sa.String(32), nullable=False),
    sa.Column("resource_id", sa.String(128), nullable=False),
    sa.Column("agent_id", ID, nullable=True),
    sa.Column("token", sa.Integer, nullable=True),
    sa.Column("current_token", sa.Integer, nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

queues = sa.Table(
    "queues",
    metadata,
    sa.Column("name", sa.String(160), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("sender", ID, nullable=False),
    sa.Column("recipient", ID, nullable=False),
    sa.Column("queue", sa.String(160), nullable=False),
    sa.Column("priority", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("visible_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    sa.Column("lease_token", sa.Integer, nullable=False, server_default="0"),
    sa.Column("lease_expires_at", UTCDateTime, nullable=True),
    sa.Column("correlation_id", sa.String(128), nullable=True),
    sa.Column("reply_to", BigId, nullable=True),
    sa.Column("dead_reason", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(256), nullable=True),
    sa.Column("dead_count", sa.Integer, nullable=False, server_default="0"),
    sa.Index(None, "recipient", "status", "priority", "visible_at"),
    sa.Index(None, "status", "lease_expires_at"),
)

compliance_runs = sa.Table(
    "compliance_runs",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("roots", sa.JSON, nullable=False),
    sa.Column("files", sa.Integer, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Column("compliance_rate", sa.Float, nullable=False),
    sa.Column("new_findings", sa.Integer, nullable=True),
    sa.Column("fixed_findings", sa.Integer, nullable=True),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column(
        "run_id", BigId, sa.ForeignKey("compliance_runs.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("symbol", sa.Text, nullable=True),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("limit", sa.Integer, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("is_new", sa.Boolean, nullable=True),
    sa.Index(None, "run_id"),
)

probe_results = sa.Table(
    "probe_results",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("target", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("latency_s", sa.Float, nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index(None, "target", "at"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("resource_kind", sa.String(32), nullable=False),
    sa.Column("resource_id", sa.String(256), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("raised_at", UTCDateTime, nullable=False),
    sa.Column("resolved_at", UTCDateTime, nullable=True),
    sa.Column("notified_at", UTCDateTime, nullable=True),
    sa.Index(
        "uq_alerts_open",
        "kind",
        "resource_kind",
        "resource_id",
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    ),
)

applied_revisions = sa.Table(
    "applied_revisions",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("revision", sa.String(64), nullable=False),
    sa.Column("desired", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)

stage_runs = sa.Table(
    "stage_runs",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("stage", sa.String(64), nullable=False),
    sa.Column("result", sa.String(16), nullable=False),
    sa.Column("flow_run_id", sa.String(64), nullable=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=True),
    sa.Column("summary", sa.JSON, nullable=True),
)

idempotency = sa.Table(
    "idempotency",
    metadata,
    sa.Column("scope", sa.String(160), primary_key=True),
    sa.Column("key", sa.String(256), primary_key=True),
    sa.Column("operation", sa.String(64), nullable=False),
    sa.Column("request", sa.String(64), nullable=False),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("event", sa.String(128), nullable=False),
    sa.Column("resource_kind", sa.String(32), nullable=False),
    sa.Column("resource_id", sa.String(256), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("alert_id", BigId, sa.ForeignKey("alerts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.UniqueConstraint("event_id"),
    sa.Index(None, "published_at", "id"),
)

# Bearer tokens of the agent gateway: only a hash of each secret is kept. ``id`` is the
# public prefix a presented token is looked up by; ``agent_id`` is the agent an agent token
# acts as (for an operator token, the operator's name).
tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("agent_id", ID, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    sa.Column("revoked_at", UTCDateTime, nullable=True),
    sa.Index(None, "agent_id"),
)

# Path reservations (swarmops.reservations). One row per repository holds its fencing
# counter, and is the row every reservation of that repository locks first, so
# conflicting reservations are decided one after the other.
reservation_repos = sa.Table(
    "reservation_repos",
    metadata,
    sa.Column("repository", sa.String(256), primary_key=True),
    sa.Column("fence", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("refused", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

reservations = sa.Table(
    "reservations",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("repository", sa.String(256), nullable=False),
    sa.Column("pattern", sa.String(1024), nullable=False),
    sa.Column("exclusive", sa.Boolean, nullable=False),
    sa.Column("agent_id", ID, sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("contract_id", ID, nullable=True),
    sa.Column("token", sa.BigInteger, nullable=False),
    sa.Column("ttl_s", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("renewed_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
    sa.Column("end_reason", sa.String(64), nullable=True),
    sa.Index(None, "repository", "ended_at"),
    sa.Index(None, "agent_id", "ended_at"),
    sa.Index(None, "contract_id"),
    sa.Index(None, "expires_at"),
)

# What the agent's own session hooks last said: a stopped session is idle, not dead.
agent_sessions = sa.Table(
    "agent_sessions",
    metadata,
    sa.Column("agent_id", ID, sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("session_id", sa.String(128), nullable=True),
    sa.Column("tool", sa.String(32), nullable=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("stopped_at", UTCDateTime, nullable=True),
)

# What happened to each backup of this store (swarmops.backup): taken, verified, failed its
# verification. Append-only; the backup metrics and the operations stage read it. The
# backups themselves are files with manifests in the backup folder.
backup_events = sa.Table(
    "backup_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("backup", sa.String(128), nullable=False),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("taken_at", UTCDateTime, nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index(None, "event", "taken_at"),
)
