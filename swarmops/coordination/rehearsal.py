"""``--dry-run`` of work that writes: run it for real in a unit, then roll the unit back.

A rehearsal sees exactly what the real run would do (the same reads, locks and
checks) and leaves nothing behind; its result is returned to the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, Generic, ParamSpec, TypeVar

from swarmops.store import Store, Unit

T = TypeVar("T")
P = ParamSpec("P")


class _RolledBack(Exception, Generic[T]):
    """Carries a rehearsal's result out of the unit it rolls back."""

    def __init__(self, result: T) -> None:
        super().__init__("rehearsal")
        self.result = result


def rehearse(
    store: Store, work: Callable[Concatenate[Unit, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``work(unit, *args, **kwargs)`` in a unit that is rolled back; its result."""
    try:
        with store.unit() as unit:
            raise _RolledBack(work(unit, *args, **kwargs))
    except _RolledBack as rehearsal:
        return rehearsal.result  # type: ignore[no-any-return]
