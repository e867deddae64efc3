"""Scoped idempotency: the same key within a scope is one effect, whoever retries it.

A key belongs to a scope, the actor it was chosen by: the agent for its own
transitions and progress (``agent:<id>``), the sender for a send (``sender:<id>``),
the message for an ack or nack (``message:<id>``). The first write with a key takes
the record ``(scope, key)`` before it reads or changes anything, in the same unit
of work, and stores its result there; a retry with that key (even one running at
the same moment in another process, which waits for the first to commit) returns
that first result. The same key in another scope is another key; the same key in
the same scope for a different request is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel

from swarmops.errors import BadInput, Conflict
from swarmops.store import Unit
from swarmops.store.schema import idempotency
from swarmops.store.sql.idempotency import TAKE

Result = TypeVar("Result", bound=BaseModel)
_c = idempotency.c


@dataclass(frozen=True)
class Keyed:
    """A keyed write: whose key it is, the key, and what it asks for."""

    scope: str
    key: str
    operation: str  # e.g. "agent.transition"
    request: Mapping[str, Any]  # what identifies the request behind the key

    def fingerprint(self) -> str:
        text = json.dumps([self.operation, dict(self.request)], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def scope(kind: str, owner: object) -> str:
    """The scope of ``owner``'s keys, e.g. ``scope("agent", "a1") == "agent:a1"``."""
    return f"{kind}:{owner}"


def once(
    unit: Unit,
    keyed: Keyed | None,
    work: Callable[[], Result],
    replayed: Callable[[dict[str, Any]], Result],
) -> Result:
    """``work()`` the first time ``keyed`` is seen; ``replayed(first result)`` after that.

    With no key, ``work()`` simply runs. The record is written inside ``unit``, so a
    rolled-back attempt leaves the key free for the next one.
    """
    if keyed is None:
        return work()
    first = _take(unit, keyed)
    if first is not None:
        return replayed(first)
    result = work()
    stored = result.model_dump(mode="json")
    where = sa.and_(_c.scope == keyed.scope, _c.key == keyed.key)
    unit.execute(sa.update(idempotency).where(where).values(result=stored))
    return result


def _take(unit: Unit, keyed: Keyed) -> dict[str, Any] | None:
    """None when this unit took the key; the first result when another write had it."""
    row = {
        "scope": keyed.scope,
        "key": keyed.key,
        "operation": keyed.operation,
        "request": keyed.fingerprint(),
        "created_at": unit.now(),
    }
    if unit.run(TAKE, row).first() is not None:
        return None
    found = unit.execute(
        sa.select(_c.operation, _c.request, _c.result).where(
            _c.scope == keyed.scope, _c.key == keyed.key
        )
    ).one()
    if (found.operation, found.request) != (keyed.operation, row["request"]):
        raise BadInput(
            f"idempotency key {keyed.key!r} of {keyed.scope} was already used for "
            f"another request ({found.operation})"
        )
    if found.result is None:
        raise Conflict(f"idempotency key {keyed.key!r} of {keyed.scope} is in use in this unit")
    return dict(found.result)
