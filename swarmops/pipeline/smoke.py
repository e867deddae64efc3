"""The end-to-end smoke: the swarm's main path once, in a scratch namespace that is
removed afterwards even when a step fails — register agents, apply a contract,
assign it, report progress, exchange a message, roll up. Each step is a check
with its reason; the first failing step ends the run."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from swarmops.contracts import get_contract, read_frames
from swarmops.contracts.summary import rollup
from swarmops.coordination import assign
from swarmops.errors import CheckFailed
from swarmops.fsm import load_agent_machine
from swarmops.pipeline import scratchwork as work
from swarmops.pipeline.report import Check, checks_markdown
from swarmops.settings import Settings
from swarmops.store import in_unit
from swarmops.store.scratch import backend_name, scratch_store

CONTRACT = "SCRATCH-1"


class SmokeReport(BaseModel):
    """The smoke's steps as checks, in order."""

    model_config = ConfigDict(frozen=True)

    backend: str
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def rows(self) -> list[dict[str, object]]:
        return [check.model_dump() for check in self.checks]

    def markdown(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        head = f"**Smoke** on a scratch {self.backend} namespace (removed afterwards): {verdict}"
        return f"{head}\n\n{checks_markdown(self.checks)}"


def run_smoke(settings: Settings) -> SmokeReport:
    """Run every step in a scratch namespace beside the configured store."""
    machine = load_agent_machine(settings.fsm)
    checks: list[Check] = []
    with scratch_store(settings.store_url) as db:
        scratch = work.Scratch(store=db, settings=settings, machine=machine)
        for name, step in STEPS:
            try:
                checks.append(Check(name=name, ok=True, reason=step(scratch)))
            except Exception as exc:  # any failure is the smoke's finding, reported by name
                checks.append(Check(name=name, ok=False, reason=f"{type(exc).__name__}: {exc}"))
                break
    return SmokeReport(backend=backend_name(settings.store_url), checks=tuple(checks))


def _register(scratch: work.Scratch) -> str:
    work.register_agents(scratch)
    for agent in (work.WORKER, work.PEER):
        work.make_idle(scratch, agent.id)
    return "2 agents registered and IDLE"


def _apply(scratch: work.Scratch) -> str:
    work.apply_contract(scratch, owner=None)
    return f"contract {CONTRACT} applied, status {get_contract(scratch.store, CONTRACT).status}"


def _assign(scratch: work.Scratch) -> str:
    in_unit(scratch.store, assign, scratch.machine, scratch.settings.coordination)
    owner = get_contract(scratch.store, CONTRACT).owner
    if owner is None:
        raise CheckFailed(f"assignment left {CONTRACT} without an owner")
    return f"{CONTRACT} assigned to {owner}"


def _progress(scratch: work.Scratch) -> str:
    owner = str(get_contract(scratch.store, CONTRACT).owner)
    work.report_progress(scratch, owner, 50)
    return f"{owner} reported 50%"


def _message(scratch: work.Scratch) -> str:
    owner = str(get_contract(scratch.store, CONTRACT).owner)
    peer = work.PEER.id if owner != work.PEER.id else work.WORKER.id
    work.round_trip(scratch, peer, owner)
    return f"{peer} -> {owner}: sent, received, acked"


def _rollup(scratch: work.Scratch) -> str:
    summary = rollup(read_frames(scratch.store), scratch.store.now(), scratch.settings.progress)
    row = summary.contracts.set_index("id").loc[CONTRACT]
    if float(row["percent"]) != 50:
        raise CheckFailed(f"rollup shows {row['percent']}% for {CONTRACT}, not 50%")
    return f"rollup: {CONTRACT} at 50%, track {row['track']}"


STEPS: tuple[tuple[str, Callable[[work.Scratch], str]], ...] = (
    ("register agents", _register),
    ("apply contract", _apply),
    ("assign", _assign),
    ("progress update", _progress),
    ("message round trip", _message),
    ("rollup", _rollup),
)
