"""Desired specs against store rows: which agents and contracts are missing, drifted or extra.

Agents compare by their spec (role, capacity, skills; never the lifecycle state).
Contracts compare by the contract apply's own plan (its spec digest), so an owner
set by assignment is not drift; the differing fields are named for people.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts import ContractSpec, plan_contracts
from swarmops.fsm import Agent, AgentSpec
from swarmops.store import Unit
from swarmops.store.schema import agents, contract_tasks, contracts

CONTRACT_FIELDS = ("title", "description", "priority", "due", "estimate_hours")
CONTRACT_SETS = ("required_skills", "tags")


class Drift(BaseModel):
    """One object that exists on both sides but differs, and the fields that differ."""

    model_config = ConfigDict(frozen=True)

    id: str
    fields: tuple[str, ...]


class SideBySide(BaseModel):
    """One kind of object compared: ids missing from the store, drifted, and extra in it."""

    model_config = ConfigDict(frozen=True)

    missing: tuple[str, ...] = ()
    drifted: tuple[Drift, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.drifted or self.extra)


def compare_agents(unit: Unit, desired: Sequence[AgentSpec]) -> SideBySide:
    """Compare the roster with the ``agents`` rows."""
    rows = unit.execute(sa.select(agents)).mappings()
    live = {row["id"]: Agent.from_row(dict(row)).spec() for row in rows}
    drifted = [
        Drift(id=spec.id, fields=_differing(live[spec.id], spec, ("role", "capacity", "skills")))
        for spec in desired
        if spec.id in live and live[spec.id] != spec
    ]
    wanted = {spec.id for spec in desired}
    return SideBySide(
        missing=tuple(sorted(wanted - set(live))),
        drifted=tuple(drifted),
        extra=tuple(sorted(set(live) - wanted)),
    )


def compare_contracts(unit: Unit, desired: Sequence[ContractSpec]) -> SideBySide:
    """Compare the contract files with the live contracts, by the contract apply's own plan."""
    plan = plan_contracts(unit, desired)
    by_id = {spec.id: spec for spec in desired}
    rows = unit.execute(sa.select(contracts).where(contracts.c.id.in_(plan.changed))).mappings()
    live = {row["id"]: row for row in rows}
    tasks = _tasks(unit, list(plan.changed))
    drifted = [Drift(id=i, fields=_contract_fields(live[i], tasks, by_id[i])) for i in plan.changed]
    return SideBySide(
        missing=tuple(sorted(plan.added)), drifted=tuple(drifted), extra=tuple(sorted(plan.removed))
    )


def _differing(live: object, spec: object, names: Sequence[str]) -> tuple[str, ...]:
    return tuple(name for name in names if getattr(live, name) != getattr(spec, name))


def _tasks(unit: Unit, ids: list[str]) -> dict[str, list[tuple[str, str, float]]]:
    found: dict[str, list[tuple[str, str, float]]] = {contract_id: [] for contract_id in ids}
    query = (
        sa.select(contract_tasks)
        .where(contract_tasks.c.contract_id.in_(ids))
        .order_by(contract_tasks.c.contract_id, contract_tasks.c.position)
    )
    for row in unit.execute(query).mappings():
        found[row["contract_id"]].append((row["task_id"], row["title"], row["weight"]))
    return found


def _contract_fields(
    row: sa.RowMapping, tasks: dict[str, list[tuple[str, str, float]]], spec: ContractSpec
) -> tuple[str, ...]:
    declared = spec.model_dump(mode="python")
    fields = [name for name in CONTRACT_FIELDS if row[name] != declared[name]]
    fields += [name for name in CONTRACT_SETS if sorted(row[name]) != sorted(declared[name])]
    wanted_tasks = [(t.id, t.title, t.weight) for t in spec.tasks]
    if tasks[spec.id] != wanted_tasks:
        fields.append("tasks")
    if row["owner"] != spec.owner and not fields:
        fields.append("owner")
    return tuple(fields) or ("spec",)
