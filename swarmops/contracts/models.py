"""Contract records built from store rows: the projection, its tasks, both logs, a result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Any:
        """Build from a row mapping, taking only the fields the record declares."""
        return cls(**{name: row[name] for name in cls.model_fields if name in row})


class ContractTask(_Record):
    """One task of a contract; ``done_at`` is set when a progress event completes it."""

    task_id: str
    title: str
    weight: float
    position: int
    done_at: datetime | None


class Contract(_Record):
    """The projection of one contract: declared fields plus status, owner and version."""

    id: str
    title: str
    description: str
    owner: str | None
    priority: str
    due: datetime | None
    estimate_hours: float | None
    required_skills: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    version: int
    fence_token: int
    spec_hash: str
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None
    tasks: tuple[ContractTask, ...] = ()

    @classmethod
    def with_tasks(cls, row: Mapping[Any, Any], tasks: Sequence[ContractTask]) -> Contract:
        return cls(**{**cls.from_row(row).model_dump(), "tasks": tuple(tasks)})

    def task(self, task_id: str) -> ContractTask | None:
        return next((t for t in self.tasks if t.task_id == task_id), None)


class ContractEvent(_Record):
    """One status change in the append-only contract log (seq = version after it)."""

    contract_id: str
    seq: int
    from_status: str | None
    to_status: str
    owner: str | None
    reason: str | None
    actor: str
    at: datetime
    idempotency_key: str | None


class ProgressEvent(_Record):
    """One progress report; ``percent`` is the contract's percent after it."""

    id: int
    contract_id: str
    agent_id: str
    percent: float | None
    task_id: str | None
    regression: bool
    note: str | None
    fence_token: int | None
    at: datetime
    idempotency_key: str | None
