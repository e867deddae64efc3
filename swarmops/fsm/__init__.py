"""Agent state: a declared state machine, an event-sourced log and its projection.

``machine`` is generic (the contract status machine reuses it); the rest is the
agent lifecycle: register, transition, heartbeat, read, verify and rebuild. The
``*_in`` functions run inside a caller's transaction so other modules can compose
them with their own writes; the others open one transaction on a Store.
"""

from __future__ import annotations

from swarmops.fsm.guards import (
    AGENT_GUARDS,
    actor_kind,
    has_assigned_contract,
    load_agent_machine,
)
from swarmops.fsm.machine import ACTOR_KINDS, Machine, Transition, load_machine, parse_machine
from swarmops.fsm.models import Agent, AgentEvent, AgentSpec, TransitionResult
from swarmops.fsm.queries import agent_history, get_agent, list_agents, snapshot
from swarmops.fsm.recovery import Difference, VerifyReport, rebuild_agents, replay, verify_agents
from swarmops.fsm.registry import (
    Registration,
    RosterSummary,
    apply_roster,
    load_roster,
    register,
)
from swarmops.fsm.roles import offline_state, onboarding_state, rejoin_state, unswept_states
from swarmops.fsm.transitions import TransitionOptions, heartbeat, transition

__all__ = [
    "ACTOR_KINDS",
    "AGENT_GUARDS",
    "Agent",
    "AgentEvent",
    "AgentSpec",
    "Difference",
    "Machine",
    "Registration",
    "RosterSummary",
    "Transition",
    "TransitionOptions",
    "TransitionResult",
    "VerifyReport",
    "actor_kind",
    "agent_history",
    "apply_roster",
    "get_agent",
    "has_assigned_contract",
    "heartbeat",
    "list_agents",
    "load_agent_machine",
    "load_machine",
    "load_roster",
    "offline_state",
    "onboarding_state",
    "parse_machine",
    "rebuild_agents",
    "register",
    "rejoin_state",
    "replay",
    "snapshot",
    "transition",
    "unswept_states",
    "verify_agents",
]
