"""The small pieces of real work that SLO probes and the smoke test do in a scratch store:
each is one capability call in a unit of its own, so what they time and exercise is the
product's own path."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.contracts import ContractSpec, TaskSpec, apply_contracts, record_progress
from swarmops.coordination import SendRequest, ack, recv, send
from swarmops.errors import CheckFailed
from swarmops.fsm import AgentSpec, Machine, apply_roster, transition
from swarmops.settings import Settings
from swarmops.store import Store, in_unit

SCRATCH_ROLE = "scratch"
WORKER = AgentSpec(id="scratch-worker", role=SCRATCH_ROLE, capacity=2, skills=("scratch",))
PEER = AgentSpec(id="scratch-peer", role=SCRATCH_ROLE, capacity=1, skills=("scratch",))
ACTOR = "system"


class Scratch(BaseModel):
    """A scratch store with its settings and agent machine, as the steps need them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    store: Store
    settings: Settings
    machine: Machine


def scratch_contract(owner: str | None) -> ContractSpec:
    """A one-task contract only the scratch agents can do."""
    task = TaskSpec(id="probe", title="Scratch probe", weight=1)
    return ContractSpec(
        id="SCRATCH-1",
        title="Scratch contract",
        owner=owner,
        required_skills=("scratch",),
        estimate_hours=1.0,
        tasks=(task,),
    )


def register_agents(scratch: Scratch) -> None:
    in_unit(scratch.store, apply_roster, scratch.machine, [WORKER, PEER])


def make_idle(scratch: Scratch, agent_id: str) -> None:
    """ONBOARDING -> IDLE: the first transition every agent takes."""
    in_unit(scratch.store, transition, scratch.machine, agent_id, "IDLE", actor=ACTOR)


def pause_or_resume(scratch: Scratch, agent_id: str, to_state: str) -> None:
    """IDLE <-> PAUSED: a transition that can be taken again and again, to sample it."""
    in_unit(scratch.store, transition, scratch.machine, agent_id, to_state, actor=ACTOR)


def apply_contract(scratch: Scratch, owner: str | None) -> None:
    in_unit(scratch.store, apply_contracts, [scratch_contract(owner)])


def report_progress(scratch: Scratch, agent_id: str, percent: float) -> None:
    in_unit(scratch.store, record_progress, "SCRATCH-1", agent_id, percent=percent, note="scratch")


def round_trip(scratch: Scratch, sender: str, recipient: str) -> None:
    """send -> recv -> ack of one message; fails if the recipient does not get it."""
    policy = scratch.settings.coordination
    request = SendRequest(sender=sender, to=recipient, body={"probe": "round-trip"})
    sent = in_unit(scratch.store, send, request, policy).ids
    claimed = in_unit(scratch.store, recv, recipient, max_messages=10, lease_s=policy.lease_s)
    mine = [message for message in claimed if message.id in sent]
    if not mine:
        raise CheckFailed(f"message {sent} sent to {recipient} was not received")
    in_unit(scratch.store, ack, mine[0].id, mine[0].lease_token)
