"""The agent's own lifecycle: start a session, heartbeat, transition, show."""

from __future__ import annotations

import time

from swarmops.agent_sessions import mark_stopped
from swarmops.coordination.claim_contract import held_contracts
from swarmops.fsm import Agent, transition
from swarmops.fsm.driver import fetch_agent
from swarmops.reservations.lifecycle import require_agent
from swarmops.reservations.service import begin, touch
from swarmops.service.access import require_self, require_self_or_operator
from swarmops.service.context import Services
from swarmops.service.messages import unread_count
from swarmops.service.models import (
    Session,
    SessionBody,
    SessionStopped,
    TransitionAnswer,
    TransitionBody,
)
from swarmops.store import Unit
from swarmops.tokens import Principal


def start_session(
    unit: Unit, env: Services, caller: Principal, agent_id: str, body: SessionBody | None = None
) -> Session:
    """Heartbeat, and back: the agent's state, what it holds (contracts with their tokens,
    path reservations), its unread count."""
    require_self(caller, agent_id)
    said = body or SessionBody()
    agent, reserved = begin(unit, env.machine, agent_id, said.tool, said.session_id)
    held = held_contracts(unit, agent_id)
    unread = unread_count(unit, agent_id)
    return Session(agent=agent, contracts=held, unread=unread, reservations=reserved)


def beat(unit: Unit, env: Services, caller: Principal, agent_id: str) -> Agent:
    """A heartbeat (renewing the agent's reservations) from a session at work."""
    require_self(caller, agent_id)
    return touch(unit, env.machine, agent_id)


def stop_session(unit: Unit, caller: Principal, agent_id: str) -> SessionStopped:
    """The agent's session stopped: idle, not dead (failover tells the two apart)."""
    require_self(caller, agent_id)
    require_agent(unit, agent_id)
    mark_stopped(unit, agent_id)
    return SessionStopped(agent_id=agent_id)


def move(
    unit: Unit, env: Services, caller: Principal, agent_id: str, body: TransitionBody
) -> TransitionAnswer:
    """The agent moves itself (actor: the agent); an operator moves it as an operator."""
    require_self_or_operator(caller, agent_id)
    started = time.perf_counter()
    result = transition(
        unit,
        env.machine,
        agent_id,
        body.to_state,
        actor=caller.name,
        reason=body.reason,
        expect_version=body.expect_version,
        key=body.key,
    )
    env.observe_transition(time.perf_counter() - started)
    return TransitionAnswer(agent=result.agent, event=result.event, replayed=result.replayed)


def show(unit: Unit, caller: Principal, agent_id: str) -> Agent:
    require_self_or_operator(caller, agent_id)
    return fetch_agent(unit, agent_id)
