"""Operator work: register agents, assign, fail over, move a contract's status."""

from __future__ import annotations

from swarmops.contracts import Contract, change_status
from swarmops.contracts.sql import fetch_contract
from swarmops.coordination import assign as assign_work
from swarmops.coordination import failover as sweep
from swarmops.fsm import AgentSpec, register
from swarmops.service.access import require_operator
from swarmops.service.context import Services
from swarmops.service.models import RegisterBody, Report, StatusBody
from swarmops.store import Unit
from swarmops.tokens import Principal


def register_agent(unit: Unit, env: Services, caller: Principal, body: RegisterBody) -> Report:
    require_operator(caller)
    spec = AgentSpec(id=body.id, role=body.role, capacity=body.capacity, skills=tuple(body.skills))
    done = register(unit, env.machine, spec, update=body.update)
    return Report(report=done.model_dump(mode="json"))


def assign(unit: Unit, env: Services, caller: Principal) -> Report:
    require_operator(caller)
    return Report(report=assign_work(unit, env.machine, env.policy).model_dump(mode="json"))


def failover(unit: Unit, env: Services, caller: Principal) -> Report:
    require_operator(caller)
    return Report(report=sweep(unit, env.machine, env.policy).model_dump(mode="json"))


def set_status(unit: Unit, caller: Principal, contract_id: str, body: StatusBody) -> Contract:
    require_operator(caller)
    change_status(unit, contract_id, body.to_status, actor=caller.name)
    return fetch_contract(unit, contract_id)
