"""Contracts as files: the schema of config/contracts/*.yaml and the loader.

A contract file is desired state. Loading is all or nothing: the first invalid
file stops the load with one message naming the file, the field and the reason.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from swarmops.config_file import problem, read_yaml
from swarmops.errors import InvalidDefinition, NotFound
from swarmops.identifiers import Identifier
from swarmops.limits import MAX_HOURS

SUFFIXES = (".yaml", ".yml")


class Priority(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class TaskSpec(BaseModel):
    """One task of a contract; its weight is its share of the contract's percent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=1e6, allow_inf_nan=False)


class ContractSpec(BaseModel):
    """A contract as declared in a file (the desired state, not its progress)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    description: str = ""
    owner: Identifier | None = None
    priority: Priority = Priority.medium
    due: datetime | None = None
    estimate_hours: float | None = Field(default=None, gt=0, le=MAX_HOURS, allow_inf_nan=False)
    required_skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()

    @field_validator("due")
    @classmethod
    def _aware(cls, due: datetime | None) -> datetime | None:
        if due is not None and due.tzinfo is None:
            raise ValueError("needs a timezone (for example 2026-12-18T17:00:00Z)")
        return due

    @field_validator("tasks")
    @classmethod
    def _unique_tasks(cls, tasks: tuple[TaskSpec, ...]) -> tuple[TaskSpec, ...]:
        ids = [t.id for t in tasks]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate task id(s): {', '.join(duplicates)}")
        return tasks

    def spec_hash(self) -> str:
        """A stable digest of the declared fields: equal hashes mean nothing to apply."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


def load_contract_files(folder: Path) -> list[ContractSpec]:
    """Every contract file in ``folder`` (sorted by id), or InvalidDefinition for the first bad one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound(f"contracts folder not found: {folder}")
    specs: dict[str, tuple[ContractSpec, Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()):
        spec = parse_contract(_read(path), source=path)
        if spec.id in specs:
            first = specs[spec.id][1]
            raise InvalidDefinition(f"{path}: id: {spec.id!r} is already declared in {first}")
        specs[spec.id] = (spec, path)
    return [specs[key][0] for key in sorted(specs)]


def parse_contract(data: Any, *, source: Path | str) -> ContractSpec:
    """Validate one parsed contract document; the message names file, field and reason."""
    if not isinstance(data, dict):
        raise InvalidDefinition(f"{source}: a contract file must be a mapping of fields")
    try:
        return ContractSpec.model_validate(data)
    except ValidationError as exc:
        raise InvalidDefinition(
            f"{source}: {problem(exc, default='contract', model=ContractSpec)}"
        ) from exc


def _read(path: Path) -> Any:
    return read_yaml(path, "contract", InvalidDefinition)
