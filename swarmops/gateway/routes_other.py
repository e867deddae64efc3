"""REST routes beside the agent's own: contracts, compliance, operator work, health, metrics."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request, Response

from swarmops.contracts import Contract
from swarmops.gateway import actions
from swarmops.gateway.auth import CallDep, gateway_of
from swarmops.gateway.paths import ContractId
from swarmops.gateway.problems import responses
from swarmops.service import operator, work
from swarmops.service.models import (
    ComplianceAnswer,
    ComplianceBody,
    RegisterBody,
    Report,
    StatusBody,
)
from swarmops.tokens import Principal

PROBLEMS = responses(400, 401, 403, 404, 409, 422, 503)
v1 = APIRouter(prefix="/v1", responses=PROBLEMS)
plain = APIRouter()


@v1.get("/whoami", tags=["agent"])
async def whoami(call: CallDep) -> Principal:
    """Who the presented token acts as (an agent's id or an operator's name) and its role."""
    return await call.principal()


@v1.get("/contracts/{contract_id}", tags=["contract"])
async def show_contract(call: CallDep, contract_id: ContractId) -> Contract:
    """One contract with its tasks, status, owner and fencing token."""
    return await call.read(partial(work.show, contract_id=contract_id))


@v1.post("/compliance/check", tags=["compliance"])
async def check_compliance(call: CallDep, body: ComplianceBody) -> ComplianceAnswer:
    """Findings of a file's content against the rules and the baseline; writes nothing."""
    return await actions.check(call, body)


@v1.post("/agents", tags=["operator"])
async def register_agent(call: CallDep, body: RegisterBody) -> Report:
    """Register an agent (operator)."""
    return await call.write(partial(operator.register_agent, env=call.services, body=body))


@v1.post("/assign", tags=["operator"])
async def assign(call: CallDep) -> Report:
    """Assign open contracts across capable agents (operator)."""
    return await call.write(partial(operator.assign, env=call.services))


@v1.post("/failover", tags=["operator"])
async def failover(call: CallDep) -> Report:
    """Sweep silent agents offline and reassign their work (operator)."""
    return await call.write(partial(operator.failover, env=call.services))


@v1.post("/contracts/{contract_id}/status", tags=["operator"])
async def set_contract_status(call: CallDep, contract_id: ContractId, body: StatusBody) -> Contract:
    """Move a contract's status, e.g. REVIEW -> DONE (operator)."""
    step = partial(operator.set_status, contract_id=contract_id, body=body)
    return await call.write(step)


@plain.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@plain.get("/readyz", tags=["health"], responses=responses(503))
async def readyz(request: Request) -> dict[str, str]:
    """Ready: the store answers and its schema is at this code's head."""
    from starlette.concurrency import run_in_threadpool

    from swarmops.errors import StoreError
    from swarmops.store.migrate import HEAD, current_revision

    revision = await run_in_threadpool(current_revision, gateway_of(request).store)
    if revision != HEAD:
        raise StoreError(f"store schema is at {revision}, not {HEAD}")
    return {"status": "ready", "revision": HEAD}


@plain.get("/metrics", tags=["health"], response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus exposition: request counts and latency by route and status, transitions."""
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(gateway_of(request).metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
