"""Replaying the contract log against the projection: the contract twin of ``agent verify``.

The log is the truth. A contract's events run seq 1..n; each starts where the one
before ended (the first from nothing to OPEN); each status change is a move of the
contract machine its actor may make (an owner change, or a change of the declared
data in config, keeps the status); and the projection's status, owner and version equal the
log's last status, last owner and event count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts.models import ContractEvent
from swarmops.contracts.status import contract_machine
from swarmops.errors import SwarmopsError
from swarmops.fsm.guards import actor_kind
from swarmops.store import Store
from swarmops.store.schema import contract_events, contracts

PROJECTION = sa.select(contracts.c.id, contracts.c.status, contracts.c.owner, contracts.c.version)


class ContractDifference(BaseModel):
    """One disagreement: what differs for which contract, per projection and per log."""

    model_config = ConfigDict(frozen=True)

    contract_id: str
    what: str
    projection: str | int | None
    log: str | int | None


class ContractVerifyReport(BaseModel):
    """The outcome of ``verify_contracts``."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    contracts: int
    events: int
    differences: tuple[ContractDifference, ...]


def verify_contracts(store: Store) -> ContractVerifyReport:
    """Replay every contract's log and compare it with the projection (reads only)."""
    logs: dict[str, list[ContractEvent]] = defaultdict(list)
    ordered = sa.select(contract_events).order_by(
        contract_events.c.contract_id, contract_events.c.seq
    )
    with store.unit(read_only=True) as unit:
        rows = unit.execute(PROJECTION.order_by(contracts.c.id)).all()
        for event in unit.execute(ordered).mappings():
            logs[event["contract_id"]].append(ContractEvent.from_row(event))
    differences = [d for row in rows for d in _compare(row, logs.get(row.id, []))]
    return ContractVerifyReport(
        ok=not differences,
        contracts=len(rows),
        events=sum(len(log) for log in logs.values()),
        differences=tuple(differences),
    )


def _compare(row: Any, events: Sequence[ContractEvent]) -> list[ContractDifference]:
    found = []
    for index, event in enumerate(events):
        problem = _illegal(event, events[index - 1] if index else None, index + 1)
        if problem is not None:
            found.append(_difference(row.id, f"event {event.seq}", None, problem))
    last = events[-1] if events else None
    replayed = {
        "status": last.to_status if last else None,
        "owner": last.owner if last else None,
        "version": len(events),
    }
    for what, log in replayed.items():
        if getattr(row, what) != log:
            found.append(_difference(row.id, what, getattr(row, what), log))
    return found


def _illegal(event: ContractEvent, previous: ContractEvent | None, seq: int) -> str | None:
    """Why ``event`` could not have followed ``previous``, or None if it could."""
    status = previous.to_status if previous else None
    if event.seq != seq:
        return f"sequence number {event.seq} where {seq} was expected"
    if event.from_status != status:
        return f"from_status {event.from_status} but the log was in {status}"
    machine = contract_machine()
    if previous is None:
        return None if event.to_status == machine.initial else f"created in {event.to_status}"
    if event.to_status == status:
        return None  # the owner or the declared data changed, not the status
    try:
        move = machine.transition(previous.to_status, event.to_status)
    except SwarmopsError as exc:
        return exc.message
    kind = actor_kind(event.actor, event.owner or previous.owner or "")
    return None if move.allows(kind) else f"{move.name} taken by {event.actor!r} ({kind})"


def _difference(
    contract_id: str, what: str, projection: str | int | None, log: str | int | None
) -> ContractDifference:
    return ContractDifference(contract_id=contract_id, what=what, projection=projection, log=log)
