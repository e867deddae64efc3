"""The transition hot path as plain SQL for the driver cursor (``Unit.raw``).

A transition is the swarm's most frequent write. SQLAlchemy Core spends about
0.1 ms of Python per statement, more than SQLite's whole commit, so these run as
parameterised SQL text; the two databases differ only in their parameter mark.
"""

from __future__ import annotations

from swarmops.store.sql.named import plain

AGENT = "id, role, state, version, capacity, skills, heartbeat_at, updated_at"
INSERTED = "agent_id, seq, from_state, to_state, at, actor, reason, idempotency_key"


SELECT_AGENT = plain("agents.select", f"SELECT {AGENT} FROM agents WHERE id = {{m}}")
COMPARE_AND_SET = plain(
    "agents.compare_and_set",
    "UPDATE agents SET state = {m}, version = {m}, updated_at = {m} "
    "WHERE id = {m} AND version = {m}",
)
INSERT_EVENT = plain(
    "agent_events.insert",
    f"INSERT INTO agent_events ({INSERTED}) VALUES ({', '.join(['{m}'] * 8)}) RETURNING id",
)
# Guarded by the version read: a heartbeat racing a failover sweep must not report the
# state it read if the sweep committed another one in between.
TOUCH_HEARTBEAT = plain(
    "agents.heartbeat", "UPDATE agents SET heartbeat_at = {m} WHERE id = {m} AND version = {m}"
)
