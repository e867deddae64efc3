"""The agent's contracts: claim the next that fits, release, report progress, submit, show."""

from __future__ import annotations

from swarmops.contracts import Contract, record_progress
from swarmops.contracts.sql import fetch_contract
from swarmops.coordination import claim_contract
from swarmops.service.access import require_self
from swarmops.service.context import Services
from swarmops.service.models import ClaimAnswer, ProgressAnswer, ProgressBody, TokenBody
from swarmops.store import Unit
from swarmops.tokens import Principal


def claim(unit: Unit, env: Services, caller: Principal, agent_id: str) -> ClaimAnswer:
    require_self(caller, agent_id)
    claimed = claim_contract.claim_next(unit, env.machine, agent_id)
    return ClaimAnswer(contract=claimed.contract, token=claimed.token)


def release(
    unit: Unit, caller: Principal, agent_id: str, contract_id: str, body: TokenBody
) -> Contract:
    require_self(caller, agent_id)
    return claim_contract.release(unit, agent_id, contract_id, body.token)


def submit(
    unit: Unit, caller: Principal, agent_id: str, contract_id: str, body: TokenBody
) -> Contract:
    require_self(caller, agent_id)
    return claim_contract.submit(unit, agent_id, contract_id, body.token)


def progress(
    unit: Unit, caller: Principal, agent_id: str, contract_id: str, body: ProgressBody
) -> ProgressAnswer:
    require_self(caller, agent_id)
    result = record_progress(unit, contract_id, agent_id, **body.model_dump())
    return ProgressAnswer(event=result.event, status=result.status, replayed=result.replayed)


def show(unit: Unit, caller: Principal, contract_id: str) -> Contract:
    """Any authenticated caller may read a contract (agents see what they may claim)."""
    del caller
    return fetch_contract(unit, contract_id)
