"""Running a unit again when a concurrent writer won: the caller's loop, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from swarmops.errors import ConstraintViolation, TransactionConflict, VersionConflict
from swarmops.store.store import Store
from swarmops.store.unit import Unit

T = TypeVar("T")
P = ParamSpec("P")
ATTEMPTS = 8
RETRIED = (VersionConflict, ConstraintViolation, TransactionConflict)


def in_unit(
    store: Store, work: Callable[Concatenate[Unit, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``work(unit, *args, **kwargs)`` in a unit of its own, e.g.
    ``in_unit(store, transition, machine, "a1", "IDLE")``.

    Run again in a fresh unit (up to ``ATTEMPTS`` times) when it lost a
    compare-and-set, a concurrent insert took its key first, or the database reported
    a serialisation failure: the fresh unit reads what the winner committed. Every
    other error, and the last conflict, reaches the caller.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.unit() as unit:
                return work(unit, *args, **kwargs)
        except RETRIED:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")
