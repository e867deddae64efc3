"""Applying contract files: plan (added, changed, unchanged, removed), then apply all
of it in the caller's transaction, so an error leaves the store as it was.

A removed contract is soft-deleted (``removed_at``) and keeps its log; declaring it
again restores it. The owner in a file is the *initial* owner: it is applied while
the contract is OPEN or ASSIGNED; once work has started, assignment and failover
own the owner, and a changed file owner does not take the contract away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts.models import ContractEvent
from swarmops.contracts.spec import ContractSpec, load_contract_files
from swarmops.contracts.status import ASSIGNED, OPEN, append_event, change_status
from swarmops.store import Store
from swarmops.store.schema import assignments, contract_tasks, contracts

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


def plan_contracts(conn: sa.Connection, specs: Sequence[ContractSpec]) -> ApplyPlan:
    """What applying ``specs`` would do, without writing anything."""
    stored = {
        row.id: row
        for row in conn.execute(
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


def apply_contracts(conn: sa.Connection, specs: Sequence[ContractSpec], now: datetime) -> ApplyPlan:
    """Make the store match ``specs`` inside the caller's transaction; returns the plan."""
    plan = plan_contracts(conn, specs)
    by_id = {spec.id: spec for spec in specs}
    existing = set(conn.execute(sa.select(contracts.c.id)).scalars())
    for contract_id in (*plan.added, *plan.changed):
        spec = by_id[contract_id]
        if contract_id in existing:
            _update(conn, spec, now)
        else:
            _insert(conn, spec, now)
    if plan.removed:
        conn.execute(
            contracts.update()
            .where(contracts.c.id.in_(plan.removed))
            .values(removed_at=now, updated_at=now)
        )
    return plan


def apply_folder(store: Store, folder: Path, *, dry_run: bool = False) -> ApplyPlan:
    """Load every file in ``folder`` first, then plan (``dry_run``) or apply in one transaction."""
    specs = load_contract_files(folder)
    if dry_run:
        with store.read() as conn:
            return plan_contracts(conn, specs)
    with store.write() as conn:
        return apply_contracts(conn, specs, store.now())


def set_owner(conn: sa.Connection, contract_id: str, owner: str | None, now: datetime) -> None:
    """Give an OPEN/ASSIGNED contract to ``owner`` (or release it): log the change,
    bump the fencing token and record the assignment, so the old owner's token goes stale."""
    target = ASSIGNED if owner else OPEN
    change_status(
        conn, contract_id, target, actor=SYSTEM, now=now, owner=owner, reason="owner from config"
    )
    token = conn.execute(
        contracts.update()
        .where(contracts.c.id == contract_id)
        .values(fence_token=contracts.c.fence_token + 1)
        .returning(contracts.c.fence_token)
    ).scalar_one()
    if owner:
        conn.execute(
            assignments.insert().values(
                contract_id=contract_id, agent_id=owner, fence_token=token, reason="config", at=now
            )
        )


def _declared(spec: ContractSpec) -> dict[str, Any]:
    fields = spec.model_dump(mode="python", exclude={"tasks", "owner", "id"})
    fields["priority"] = spec.priority.value
    fields["required_skills"] = list(spec.required_skills)
    fields["tags"] = list(spec.tags)
    return fields | {"spec_hash": spec.spec_hash()}


def _insert(conn: sa.Connection, spec: ContractSpec, now: datetime) -> None:
    conn.execute(
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
    append_event(conn, created, expect_version=0)
    _sync_tasks(conn, spec)
    if spec.owner:
        set_owner(conn, spec.id, spec.owner, now)


def _update(conn: sa.Connection, spec: ContractSpec, now: datetime) -> None:
    row = conn.execute(
        sa.select(contracts.c.status, contracts.c.owner).where(contracts.c.id == spec.id)
    ).one()
    conn.execute(
        contracts.update()
        .where(contracts.c.id == spec.id)
        .values(removed_at=None, updated_at=now, **_declared(spec))
    )
    _sync_tasks(conn, spec)
    if row.status in (OPEN, ASSIGNED) and row.owner != spec.owner:
        set_owner(conn, spec.id, spec.owner, now)


def _sync_tasks(conn: sa.Connection, spec: ContractSpec) -> None:
    """Replace the declared task fields, keeping ``done_at`` of tasks that stay."""
    done = dict(
        conn.execute(
            sa.select(contract_tasks.c.task_id, contract_tasks.c.done_at).where(
                contract_tasks.c.contract_id == spec.id
            )
        ).all()
    )
    conn.execute(contract_tasks.delete().where(contract_tasks.c.contract_id == spec.id))
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
        conn.execute(contract_tasks.insert(), rows)
