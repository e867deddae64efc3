"""Progress reports: validated, fenced and idempotent, inside the caller's unit of work.

``percent`` on a stored event is the contract's percent *after* the event: the
reported value for a percent report; for a finished task, the done tasks' share of
the task weights, never below the last percent. A report moves ASSIGNED to
IN_PROGRESS; reaching 100% moves IN_PROGRESS to REVIEW (a reviewer moves it to
DONE); a permitted regression below 100% moves REVIEW back to IN_PROGRESS.

A report's idempotency key belongs to the reporting agent (scope ``agent:<id>``) and
is taken before the contract is read or locked, so concurrent retries of one keyed
report wait for the first and all return its result. A stale fencing token raises
``StaleToken``; the caller commits the refusal with ``reject_stale`` in a unit of
its own (the report's unit rolls back).
"""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from swarmops.config_file import problem
from swarmops.contracts import sql
from swarmops.contracts.models import Contract, ContractEvent, ContractTask, ProgressEvent
from swarmops.contracts.status import (
    ASSIGNED,
    IN_PROGRESS,
    REVIEW,
    TAKES_PROGRESS,
    change_status,
)
from swarmops.errors import BadInput, NotFound, StaleToken
from swarmops.idempotency import Keyed, once, scope
from swarmops.store import Unit
from swarmops.store.schema import contract_tasks, fencing_rejections, progress_events

OPERATION = "contract.progress"
# Built once: a statement made per call with .values(**row) costs more than its execution
_INSERT_EVENT = progress_events.insert().returning(progress_events.c.id)
_LATEST_PERCENT = (
    sa.select(progress_events.c.percent)
    .where(progress_events.c.contract_id == sa.bindparam("b_id"))
    .order_by(progress_events.c.at.desc(), progress_events.c.id.desc())
    .limit(1)
)


class ProgressReport(TypedDict, total=False):
    """The keyword arguments of a progress report."""

    percent: float | None
    task_id: str | None
    done: bool
    note: str | None
    key: str | None
    allow_regress: bool
    token: int | None


class ProgressRequest(BaseModel):
    """A validated progress report: a percent, or a task (optionally finished)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    percent: float | None = Field(default=None, ge=0, le=100)
    task_id: str | None = None
    done: bool = False
    note: str | None = None
    key: str | None = Field(default=None, min_length=1, max_length=256)
    allow_regress: bool = False
    token: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_kind(self) -> ProgressRequest:
        if (self.percent is None) == (self.task_id is None):
            raise ValueError("give either a percent or a task")
        if self.done and self.task_id is None:
            raise ValueError("done needs a task")
        return self

    @classmethod
    def build(cls, report: ProgressReport) -> ProgressRequest:
        try:
            return cls(**report)
        except ValidationError as exc:
            raise BadInput(f"progress: {problem(exc)}") from exc


class ProgressResult(BaseModel):
    """What a report did: the event, the status after it, and whether it was a replay."""

    model_config = ConfigDict(frozen=True)

    event: ProgressEvent
    status: str
    replayed: bool = False
    status_changes: tuple[ContractEvent, ...] = ()


def record_progress(
    unit: Unit, contract_id: str, agent_id: str, **report: Unpack[ProgressReport]
) -> ProgressResult:
    """Record one report of ``agent_id`` on ``contract_id`` inside ``unit``.

    With a key, the same key of the same agent again returns the first result
    (``replayed=True``); the same key for another request is refused.
    """
    request = ProgressRequest.build(report)
    keyed = None
    if request.key is not None:
        asked = request.model_dump(include={"percent", "task_id", "done"})
        keyed = Keyed(
            scope("agent", agent_id), request.key, OPERATION, {**asked, "contract_id": contract_id}
        )
    return once(
        unit,
        keyed,
        lambda: _record(unit, contract_id, agent_id, request),
        _replayed,
    )


def reject_stale(unit: Unit, contract_id: str, agent_id: str, token: int | None) -> None:
    """Log a refused write with a stale fencing token (for the fencing audit trail)."""
    current = sql.fetch_contract(unit, contract_id).fence_token
    unit.execute(
        fencing_rejections.insert().values(
            resource_kind="contract",
            resource_id=contract_id,
            agent_id=agent_id,
            token=token,
            current_token=current,
            action="progress",
            at=unit.now(),
        )
    )


def _record(
    unit: Unit, contract_id: str, agent_id: str, request: ProgressRequest
) -> ProgressResult:
    contract = sql.fetch_contract(unit, contract_id, lock=True)
    _check_holder(contract, agent_id, request.token)
    current = unit.scalar(_LATEST_PERCENT, {"b_id": contract_id}) or 0.0
    percent = _next_percent(unit, contract, request, current)
    row: dict[str, Any] = {
        "contract_id": contract_id,
        "agent_id": agent_id,
        "percent": percent,
        "regression": percent < current,
        "at": unit.now(),
        "task_id": request.task_id,
        "note": request.note,
        "fence_token": request.token,
        "idempotency_key": request.key,
    }
    event = ProgressEvent(id=unit.execute(_INSERT_EVENT, row).scalar_one(), **row)
    changes = _advance_status(unit, contract, agent_id, percent)
    status = changes[-1].to_status if changes else contract.status
    return ProgressResult(event=event, status=status, status_changes=tuple(changes))


def _replayed(first: dict[str, Any]) -> ProgressResult:
    return ProgressResult.model_validate({**first, "replayed": True})


def _check_holder(contract: Contract, agent_id: str, token: int | None) -> None:
    if contract.removed_at is not None:
        raise NotFound(f"contract {contract.id!r} was removed from config")
    if token is not None and token < contract.fence_token:
        raise StaleToken(
            f"contract {contract.id!r}: token {token} is stale (current {contract.fence_token}); "
            "the contract was reassigned"
        )
    if token is not None and token > contract.fence_token:
        raise BadInput(f"contract {contract.id!r}: token {token} was never issued")
    if contract.owner != agent_id:
        raise BadInput(
            f"agent {agent_id!r} does not hold contract {contract.id!r} "
            f"(owner: {contract.owner or 'none'})"
        )
    if contract.status not in TAKES_PROGRESS:
        raise BadInput(f"contract {contract.id!r} is {contract.status}: it takes no progress")


def _next_percent(
    unit: Unit, contract: Contract, request: ProgressRequest, current: float
) -> float:
    if request.percent is not None:
        if request.percent < current and not request.allow_regress:
            raise BadInput(
                f"contract {contract.id!r}: percent would drop from {current:g} to "
                f"{request.percent:g}; pass --allow-regress to record a regression"
            )
        return request.percent
    task = contract.task(request.task_id or "")
    if task is None:
        raise NotFound(f"contract {contract.id!r} has no task {request.task_id!r}")
    return _finish_task(unit, contract, task, current) if request.done else current


def _finish_task(unit: Unit, contract: Contract, task: ContractTask, current: float) -> float:
    """Mark the task done; the percent becomes the done tasks' weight share (never lower)."""
    if task.done_at is not None:
        raise BadInput(f"task {task.task_id!r} of contract {contract.id!r} is already done")
    unit.execute(
        contract_tasks.update()
        .where(
            contract_tasks.c.contract_id == contract.id, contract_tasks.c.task_id == task.task_id
        )
        .values(done_at=unit.now())
    )
    total = sum(t.weight for t in contract.tasks)
    done = sum(t.weight for t in contract.tasks if t.done_at is not None) + task.weight
    return max(current, round(100.0 * done / total, 6))


def _advance_status(
    unit: Unit, contract: Contract, agent_id: str, percent: float
) -> list[ContractEvent]:
    """The status moves a report implies, taken by the reporting agent itself."""
    path = {ASSIGNED: [IN_PROGRESS], IN_PROGRESS: [], REVIEW: []}[contract.status]
    reached = path[-1] if path else contract.status
    if percent >= 100 and reached == IN_PROGRESS:
        path.append(REVIEW)
    elif percent < 100 and reached == REVIEW:
        path.append(IN_PROGRESS)
    return [
        change_status(unit, contract.id, target, actor=agent_id, reason="progress")
        for target in path
    ]
