"""Applying contract files: plan (added, changed, unchanged, removed), then apply all
of it in the caller's unit of work, so an error leaves the store as it was.

Applying a desired set is serialised: ``apply_contracts`` takes the apply lock
(``Lock.APPLY``) before it reads anything and plans from what it reads under it,
so two applies of different sets at once leave the second set whole, never a mix,
and the plan it returns is what its unit commits.

A removed contract is soft-deleted (``removed_at``) and keeps its log; declaring it
again restores it. Every change is an event of the contract's log: a changed file,
a removal and a restoration each append one that keeps the status and owner. The owner in a file is the *initial* owner: it is applied while
the contract is OPEN or ASSIGNED; once work has started, assignment and failover
own the owner, and a changed file owner does not take the contract away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts.models import ContractEvent
from swarmops.contracts.spec import ContractSpec
from swarmops.contracts.status import ASSIGNED, OPEN, append_event, change_status
from swarmops.errors import InvalidDefinition
from swarmops.store import Lock, Unit
from swarmops.store.schema import agents, assignments, contract_tasks, contracts

SYSTEM = "system"


class ApplyPlan(BaseModel):
    """Contract ids by what applying the files does (or did) to them."""

    model_config = ConfigDict(frozen=True)

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed"
        )


def plan_contracts(unit: Unit, specs: Sequence[ContractSpec]) -> ApplyPlan:
    """What applying ``specs`` would do, without writing anything."""
    stored = {
        row.id: row
        for row in unit.execute(
            sa.select(contracts.c.id, contracts.c.spec_hash, contracts.c.removed_at)
        )
    }
    added, changed, unchanged = [], [], []
    for spec in specs:
        row = stored.get(spec.id)
        if row is None or row.removed_at is not None:
            added.append(spec.id)
        elif row.spec_hash != spec.spec_hash():
            changed.append(spec.id)
        else:
            unchanged.append(spec.id)
    declared = {spec.id for spec in specs}
    removed = sorted(i for i, row in stored.items() if i not in declared and row.removed_at is None)
    return ApplyPlan(
        added=tuple(added),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
        removed=tuple(removed),
    )


def apply_contracts(unit: Unit, specs: Sequence[ContractSpec]) -> ApplyPlan:
    """Make the store match ``specs`` inside ``unit``, under the apply lock; the plan."""
    unit.lock(Lock.APPLY)
    check_owners(unit, specs)
    plan = plan_contracts(unit, specs)
    by_id = {spec.id: spec for spec in specs}
    existing = set(unit.scalars(sa.select(contracts.c.id)))
    for contract_id in (*plan.added, *plan.changed):
        spec = by_id[contract_id]
        if contract_id in existing:
            _update(unit, spec)
        else:
            _insert(unit, spec)
    for contract_id in plan.removed:
        _log_change(unit, _current(unit, contract_id), "removed from config")
    if plan.removed:
        now = unit.now()
        unit.execute(
            contracts.update()
            .where(contracts.c.id.in_(plan.removed))
            .values(removed_at=now, updated_at=now)
        )
    return plan


def check_owners(unit: Unit, specs: Sequence[ContractSpec]) -> None:
    """Every declared owner is a registered agent: a contract ASSIGNED to no one would
    wait forever, so the whole apply is refused (InvalidDefinition) naming the first."""
    owners = {spec.owner for spec in specs if spec.owner is not None}
    known = set(unit.scalars(sa.select(agents.c.id).where(agents.c.id.in_(owners))))
    missing = next((spec for spec in specs if spec.owner in owners - known), None)
    if missing is not None:
        raise InvalidDefinition(
            f"contract {missing.id}: owner {missing.owner!r} is not a registered agent"
        )


def set_owner(unit: Unit, contract_id: str, owner: str | None) -> None:
    """Give an OPEN/ASSIGNED contract to ``owner`` (or release it): log the change,
    bump the fencing token and record the assignment, so the old owner's token goes stale."""
    target = ASSIGNED if owner else OPEN
    change_status(unit, contract_id, target, actor=SYSTEM, owner=owner, reason="owner from config")
    token = unit.execute(
        contracts.update()
        .where(contracts.c.id == contract_id)
        .values(fence_token=contracts.c.fence_token + 1)
        .returning(contracts.c.fence_token)
    ).scalar_one()
    if owner:
        unit.execute(
            assignments.insert().values(
                contract_id=contract_id,
                agent_id=owner,
                fence_token=token,
                reason="config",
                at=unit.now(),
            )
        )


def _declared(spec: ContractSpec) -> dict[str, Any]:
    fields = spec.model_dump(mode="python", exclude={"tasks", "owner", "id"})
    fields["priority"] = spec.priority.value
    fields["required_skills"] = list(spec.required_skills)
    fields["tags"] = list(spec.tags)
    return fields | {"spec_hash": spec.spec_hash()}


def _insert(unit: Unit, spec: ContractSpec) -> None:
    now = unit.now()
    unit.execute(
        contracts.insert().values(
            id=spec.id,
            owner=None,
            status=OPEN,
            version=0,
            fence_token=0,
            created_at=now,
            updated_at=now,
            **_declared(spec),
        )
    )
    created = ContractEvent(
        contract_id=spec.id,
        seq=1,
        from_status=None,
        to_status=OPEN,
        owner=None,
        reason="declared in config",
        actor=SYSTEM,
        at=now,
        idempotency_key=None,
    )
    append_event(unit, created, expect_version=0)
    _sync_tasks(unit, spec)
    if spec.owner:
        set_owner(unit, spec.id, spec.owner)


def _update(unit: Unit, spec: ContractSpec) -> None:
    row = _current(unit, spec.id)
    _log_change(unit, row, "changed in config" if row.removed_at is None else "declared again")
    unit.execute(
        contracts.update()
        .where(contracts.c.id == spec.id)
        .values(removed_at=None, updated_at=unit.now(), **_declared(spec))
    )
    _sync_tasks(unit, spec)
    if row.status in (OPEN, ASSIGNED) and row.owner != spec.owner:
        set_owner(unit, spec.id, spec.owner)


def _current(unit: Unit, contract_id: str) -> Any:
    """The projection columns a change reads: id, status, owner, version, removed_at."""
    c = contracts.c
    query = sa.select(c.id, c.status, c.owner, c.version, c.removed_at).where(c.id == contract_id)
    return unit.execute(query).one()


def _log_change(unit: Unit, row: Any, reason: str) -> None:
    """An event that keeps the contract's status and owner: its declared data changed."""
    change = ContractEvent(
        contract_id=row.id,
        seq=row.version + 1,
        from_status=row.status,
        to_status=row.status,
        owner=row.owner,
        reason=reason,
        actor=SYSTEM,
        at=unit.now(),
        idempotency_key=None,
    )
    append_event(unit, change, expect_version=row.version)


def _sync_tasks(unit: Unit, spec: ContractSpec) -> None:
    """Replace the declared task fields, keeping ``done_at`` of tasks that stay."""
    query = sa.select(contract_tasks.c.task_id, contract_tasks.c.done_at).where(
        contract_tasks.c.contract_id == spec.id
    )
    done = {row.task_id: row.done_at for row in unit.execute(query)}
    unit.execute(contract_tasks.delete().where(contract_tasks.c.contract_id == spec.id))
    rows = [
        {
            "contract_id": spec.id,
            "task_id": t.id,
            "title": t.title,
            "weight": t.weight,
            "position": i,
            "done_at": done.get(t.id),
        }
        for i, t in enumerate(spec.tasks)
    ]
    if rows:
        unit.execute(contract_tasks.insert(), rows)
