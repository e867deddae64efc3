"""Contract status changes: validated against the declared machine, appended to the
contract log and projected onto the contract row in the caller's unit of work.

The same discipline as agents: the event's ``seq`` is the contract's version + 1 and
the row is updated with a compare-and-set on that version, so two writers that read
the same version cannot both win.

The status groups are defined here and nowhere else:

- ``OPEN_STATUSES``: waiting for an owner; assignment takes contracts from here.
- ``HELD``: an owner holds the work. REVIEW is held: the owner still owns the
  contract while a reviewer looks at it (a regression hands it straight back, and
  the machine's reassign and release moves start from REVIEW), so it counts against
  the owner's capacity, keeps the owner's ``has_assigned_contract`` guard true, and
  failover releases it when the owner goes silent. (Assignment counted REVIEW and
  the rollup did not, because the rollup asked another question, whose move it is:)
- ``OWNER_TO_MOVE``: held, and the next move is the owner's. A contract in REVIEW
  waits for its reviewer, so a quiet one is not its owner stalling; the rollup's
  ``stalled`` track uses this group.
- ``TAKES_PROGRESS``: the owner may report progress (BLOCKED takes none until it is
  unblocked).
- ``FINISHED``: terminal; the work is over.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypedDict, Unpack

from swarmops.contracts import sql
from swarmops.contracts.models import Contract, ContractEvent
from swarmops.errors import BadInput, IllegalTransition, VersionConflict
from swarmops.fsm.guards import actor_kind
from swarmops.fsm.machine import Machine, load_machine
from swarmops.idempotency import Keyed, once, scope
from swarmops.store import Unit
from swarmops.store.schema import contract_events

MACHINE_FILE = Path(__file__).with_name("status.yaml")
OPERATION = "contract.status"
OPEN, ASSIGNED, IN_PROGRESS = "OPEN", "ASSIGNED", "IN_PROGRESS"
REVIEW, BLOCKED, DONE, CANCELLED = "REVIEW", "BLOCKED", "DONE", "CANCELLED"

OPEN_STATUSES: tuple[str, ...] = (OPEN,)
HELD: tuple[str, ...] = (ASSIGNED, IN_PROGRESS, BLOCKED, REVIEW)
OWNER_TO_MOVE: tuple[str, ...] = tuple(s for s in HELD if s != REVIEW)
TAKES_PROGRESS: tuple[str, ...] = (ASSIGNED, IN_PROGRESS, REVIEW)
FINISHED: tuple[str, ...] = (DONE, CANCELLED)


class StatusOptions(TypedDict, total=False):
    """Optional inputs of a status change (keyword arguments)."""

    reason: str | None
    owner: str | None  # the new owner; leave out to keep the current one
    key: str | None  # idempotency key: the same key again returns the first event


@cache
def contract_machine() -> Machine:
    """The contract status machine shipped with swarmops (parsed once per process)."""
    return load_machine(MACHINE_FILE)


def change_status(
    unit: Unit, contract_id: str, to_status: str, *, actor: str, **options: Unpack[StatusOptions]
) -> ContractEvent:
    """Move a contract to ``to_status`` and/or a new owner inside ``unit``.

    ``actor``: ``system``, the owner's agent id (kind agent) or an operator name; an
    owner change alone (same status) is logged too, without a machine transition. A
    key belongs to the actor (scope ``actor:<name>``): the same key again returns the
    first event.
    """
    key = options.get("key")
    keyed = None
    if key is not None:
        owner = [options["owner"]] if "owner" in options else None  # None: unchanged
        request = {"contract_id": contract_id, "to": to_status, "owner": owner}
        keyed = Keyed(scope("actor", actor), key, OPERATION, request)
    return once(
        unit,
        keyed,
        lambda: _change(unit, contract_id, to_status, actor, options),
        ContractEvent.model_validate,
    )


def append_event(unit: Unit, event: ContractEvent, *, expect_version: int) -> None:
    """Compare-and-set the projection, then append the event (in the caller's unit)."""
    updated = unit.execute(
        sql.COMPARE_AND_SET,
        {
            "b_id": event.contract_id,
            "b_version": expect_version,
            "b_status": event.to_status,
            "b_owner": event.owner,
            "b_next": event.seq,
            "b_at": event.at,
        },
    )
    if updated.rowcount != 1:
        raise VersionConflict(
            f"contract {event.contract_id!r} changed concurrently (expected version "
            f"{expect_version}); read it again and retry"
        )
    unit.execute(contract_events.insert().values(**event.model_dump()))


def _change(
    unit: Unit, contract_id: str, to_status: str, actor: str, options: StatusOptions
) -> ContractEvent:
    contract = sql.fetch_contract(unit, contract_id)
    owner = options.get("owner", contract.owner)
    _check_move(contract, to_status, actor=actor, owner=owner)
    event = ContractEvent(
        contract_id=contract_id,
        seq=contract.version + 1,
        from_status=contract.status,
        to_status=to_status,
        owner=owner,
        reason=options.get("reason"),
        actor=actor,
        at=unit.now(),
        idempotency_key=options.get("key"),
    )
    append_event(unit, event, expect_version=contract.version)
    if to_status in FINISHED or owner != contract.owner:  # done or reassigned: paths go too
        _release_reservations(unit, contract_id, owner, finished=to_status in FINISHED)
    return event


def _release_reservations(
    unit: Unit, contract_id: str, owner: str | None, *, finished: bool
) -> None:
    from swarmops.reservations import release_contract  # reservations send messages: no cycle

    release_contract(unit, contract_id, owner=owner, finished=finished)


def _check_move(contract: Contract, to_status: str, *, actor: str, owner: str | None) -> None:
    machine, subject = contract_machine(), f"contract {contract.id!r}"
    machine.require_state(to_status, subject=subject)
    if contract.removed_at is not None:
        raise BadInput(f"contract {contract.id!r} was removed from config")
    if to_status == contract.status:
        if owner == contract.owner:
            raise BadInput(f"contract {contract.id!r} is already {to_status} (owner {owner})")
        return
    transition = machine.transition(contract.status, to_status, subject=subject)
    kind = actor_kind(actor, owner or contract.owner or "")
    if not transition.allows(kind):
        allowed = ", ".join(sorted(transition.actors))
        raise IllegalTransition(
            f"contract {contract.id!r}: {transition.name} ({contract.status} -> {to_status}) "
            f"is for {allowed}, not {kind} {actor!r}"
        )
