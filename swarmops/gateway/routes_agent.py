# swarmops: allow[functions-per-file] one handler per route of the agent API, each a one-line call into the service
"""REST routes of an agent's own work, under ``/v1/agents/{agent_id}``: thin over the service."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path

from swarmops.contracts import Contract
from swarmops.fsm import Agent
from swarmops.gateway import actions
from swarmops.gateway.auth import CallDep
from swarmops.gateway.paths import AgentId, ContractId
from swarmops.gateway.problems import responses
from swarmops.limits import MAX_BIGINT
from swarmops.service import agents, messages, work
from swarmops.service.models import (
    ClaimAnswer,
    FetchBody,
    Inbox,
    NackBody,
    ProgressAnswer,
    ProgressBody,
    SendAnswer,
    SendBody,
    Session,
    SessionBody,
    Settled,
    TokenBody,
    TransitionAnswer,
    TransitionBody,
)

MessageId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]
router = APIRouter(
    prefix="/v1/agents/{agent_id}",
    tags=["agent"],
    responses=responses(400, 401, 403, 404, 409, 422, 503),
)


@router.get("")
async def show_agent(call: CallDep, agent_id: AgentId) -> Agent:
    """The agent's projection: state, version, capacity, skills, last heartbeat."""
    return await call.read(partial(agents.show, agent_id=agent_id))


@router.post("/session")
async def start_session(
    call: CallDep, agent_id: AgentId, body: SessionBody | None = None
) -> Session:
    """Heartbeat and return the agent's state, held contracts (with tokens), path
    reservations and unread count; ``body`` names the tool and its session."""
    step = partial(agents.start_session, env=call.services, agent_id=agent_id, body=body)
    return await call.write(step)


@router.post("/heartbeat")
async def heartbeat(call: CallDep, agent_id: AgentId) -> Agent:
    """Record a heartbeat (an offline agent's heartbeat is its rejoin)."""
    return await call.write(partial(agents.beat, env=call.services, agent_id=agent_id))


@router.post("/transition")
async def transition(call: CallDep, agent_id: AgentId, body: TransitionBody) -> TransitionAnswer:
    """Move the agent to another state, as the machine allows its caller."""
    step = partial(agents.move, env=call.services, agent_id=agent_id, body=body)
    return await call.write(step)


@router.post("/contracts/claim")
async def claim_contract(call: CallDep, agent_id: AgentId) -> ClaimAnswer:
    """Claim the most urgent open contract that fits the agent's skills and capacity."""
    return await actions.claim(call, agent_id)


@router.post("/contracts/{contract_id}/release")
async def release_contract(
    call: CallDep, agent_id: AgentId, contract_id: ContractId, body: TokenBody
) -> Contract:
    """Give a held contract back (OPEN again)."""
    step = partial(work.release, agent_id=agent_id, contract_id=contract_id, body=body)
    return await call.write(step)


@router.post("/contracts/{contract_id}/progress")
async def report_progress(
    call: CallDep, agent_id: AgentId, contract_id: ContractId, body: ProgressBody
) -> ProgressAnswer:
    """Report a percent, or a task worked on or finished, on a held contract."""
    step = partial(work.progress, agent_id=agent_id, contract_id=contract_id, body=body)
    return await call.write(step)


@router.post("/contracts/{contract_id}/submit")
async def submit_for_review(
    call: CallDep, agent_id: AgentId, contract_id: ContractId, body: TokenBody
) -> Contract:
    """Ask for review of a held contract in work (IN_PROGRESS -> REVIEW)."""
    step = partial(work.submit, agent_id=agent_id, contract_id=contract_id, body=body)
    return await call.write(step)


@router.post("/messages")
async def send_message(call: CallDep, agent_id: AgentId, body: SendBody) -> SendAnswer:
    """Send a message as this agent: to an agent, a role, or everyone."""
    return await actions.send(call, agent_id, body)


@router.post("/inbox")
async def fetch_inbox(call: CallDep, agent_id: AgentId, body: FetchBody) -> Inbox:
    """Claim messages with a lease; waits up to ``wait`` seconds when the inbox is empty."""
    return await actions.fetch(call, agent_id, body)


@router.post("/messages/{message_id}/ack")
async def ack(call: CallDep, agent_id: AgentId, message_id: MessageId, body: TokenBody) -> Settled:
    """Finish a claimed message with its lease token."""
    step = partial(messages.ack, agent_id=agent_id, message_id=message_id, body=body)
    return await call.write(step)


@router.post("/messages/{message_id}/nack")
async def nack(call: CallDep, agent_id: AgentId, message_id: MessageId, body: NackBody) -> Settled:
    """Give a claimed message back: retried after backoff, dead after the last attempt."""
    step = partial(messages.nack, agent_id=agent_id, message_id=message_id, body=body)
    return await call.write(step)
