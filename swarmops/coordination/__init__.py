"""Coordination: a durable message bus between agents, work assignment and failover.

The bus lives in the store (``messages``): send to an agent, a role or everyone;
claim with a lease whose token only grows; ack, nack with backoff, dead letters
and replay. Assignment and failover use the agent state machine and contract
lifecycle and send their messages inside their own transactions (``send_in``).
"""

from __future__ import annotations

from swarmops.coordination.assign import assign, assign_in
from swarmops.coordination.claim import reap_in, recv
from swarmops.coordination.failover import failover, failover_in
from swarmops.coordination.models import (
    DELIVERY_FIELDS,
    AckBatch,
    BusStats,
    Message,
    SendRequest,
    SendResult,
)
from swarmops.coordination.planner import (
    AgentSlot,
    OpenWork,
    PlannedAssignment,
    Unassigned,
    plan_assignments,
)
from swarmops.coordination.reports import AssignmentReport, FailoverReport, OfflineAgent
from swarmops.coordination.send import send, send_in
from swarmops.coordination.settle import (
    ack,
    ack_many,
    backoff_s,
    dead_letters,
    nack,
    release_in,
    replay,
)
from swarmops.coordination.stats import bus_stats

__all__ = [
    "DELIVERY_FIELDS",
    "AckBatch",
    "AgentSlot",
    "AssignmentReport",
    "BusStats",
    "FailoverReport",
    "Message",
    "OfflineAgent",
    "OpenWork",
    "PlannedAssignment",
    "SendRequest",
    "SendResult",
    "Unassigned",
    "ack",
    "ack_many",
    "assign",
    "assign_in",
    "backoff_s",
    "bus_stats",
    "dead_letters",
    "failover",
    "failover_in",
    "nack",
    "plan_assignments",
    "reap_in",
    "recv",
    "release_in",
    "replay",
    "send",
    "send_in",
]
