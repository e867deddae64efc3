"""The agent's own lifecycle: start a session, heartbeat, transition, show."""

from __future__ import annotations

import time

from swarmops.coordination.claim_contract import held_contracts
from swarmops.fsm import Agent, heartbeat, transition
from swarmops.fsm.driver import fetch_agent
from swarmops.service.access import require_self, require_self_or_operator
from swarmops.service.context import Services
from swarmops.service.messages import unread_count
from swarmops.service.models import Session, TransitionAnswer, TransitionBody
from swarmops.store import Unit
from swarmops.tokens import Principal


def start_session(unit: Unit, env: Services, caller: Principal, agent_id: str) -> Session:
    """Heartbeat, and back: the agent's state, what it holds (with tokens), its unread count."""
    require_self(caller, agent_id)
    agent = heartbeat(unit, env.machine, agent_id)
    held = held_contracts(unit, agent_id)
    return Session(agent=agent, contracts=held, unread=unread_count(unit, agent_id))


def beat(unit: Unit, env: Services, caller: Principal, agent_id: str) -> Agent:
    require_self(caller, agent_id)
    return heartbeat(unit, env.machine, agent_id)


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
