"""Coordination: a durable message bus between agents, work assignment and failover.

The bus lives in the store (``messages``): send to an agent, a role or everyone;
claim with a lease whose token only grows; ack, nack with backoff, dead letters
and replay. Every write takes the caller's unit of work (``store.unit()`` or
``swarmops.store.in_unit``), so assignment and failover send their messages, move
agents and contracts and raise their alerts in one transaction. ``rehearse`` runs
a write and rolls it back (``--dry-run``); ``keep_refusal`` runs an ack or nack and
keeps the record of a lost lease.
"""

from __future__ import annotations

from swarmops.coordination.assign import assign, fence
from swarmops.coordination.claim import reap, recv
from swarmops.coordination.dead import dead_letters, replay
from swarmops.coordination.failover import failover
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
from swarmops.coordination.rehearsal import rehearse
from swarmops.coordination.reports import AssignmentReport, FailoverReport, OfflineAgent
from swarmops.coordination.send import send
from swarmops.coordination.settle import ack, ack_many, backoff_s, keep_refusal, nack, release
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
    "backoff_s",
    "bus_stats",
    "dead_letters",
    "failover",
    "fence",
    "keep_refusal",
    "nack",
    "plan_assignments",
    "reap",
    "recv",
    "rehearse",
    "release",
    "replay",
    "send",
]
