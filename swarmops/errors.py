# swarmops: allow[classes-per-file] the exception tree is drawn once, in one module, on purpose
"""The one exception tree of swarmops, and the exit code each branch maps to.

    SwarmopsError                    exit 1 unless a branch says otherwise
    ├── BadInput                     exit 2: the caller asked for something invalid
    │   ├── ConfigError              a settings file, variable or option is wrong
    │   ├── NotFound                 an unknown agent, contract, message, task or state
    │   ├── IllegalTransition        a move the state machine does not allow
    │   ├── InvalidDefinition        a declared machine, rule set or contract file is wrong
    │   ├── ValueRejected            the store refused a value (too long, out of range)
    │   └── MissingTool              a program swarmops runs (pg_dump, pg_restore) is not installed
    ├── Conflict                     exit 1: the world changed under the caller
    │   ├── VersionConflict          compare-and-set on a version lost
    │   ├── StaleToken               a fencing token older than the current one
    │   ├── LeaseLost                the message lease is no longer held by this token
    │   ├── ReservationRefused       another agent holds an overlapping path reservation
    │   ├── ConstraintViolation      a unique, foreign-key or check constraint refused a write
    │   └── TransactionConflict      a serialisation failure or deadlock: run it again
    ├── CheckFailed                  exit 1: a gate, check or verification did not pass
    ├── PublishError                 exit 1: a metrics or event target refused
    └── StoreError                   exit 1: the store cannot serve the request
        ├── StoreUnavailable         the connection could not be made or was lost
        ├── StoreBusy                the database stayed locked past the busy timeout
        ├── StoreFull                the disk or the database is full
        ├── StoreCorrupt             the file is not a database, or its pages are damaged
        ├── NoStore                  exit 2: nothing at the URL; only ``swarmops init`` creates one
        └── SchemaTooNew             exit 2: migrated by a newer swarmops than this one

Driver errors are translated into this tree at the store boundary (the unit of
work, ``swarmops.store.translate``), so callers never catch SQLAlchemy or psycopg
exceptions.
"""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """An exception's message cut to its first line: errors are one line on stderr."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_line(message: str) -> str:
    """The line the command line prints for an error: ``swarmops: error: MESSAGE``, with any
    control or separator character in it escaped (a value it quotes may hold a ``\\r`` or a
    U+2028), so it stays one line."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)
    return f"swarmops: error: {shown}\n"


class SwarmopsError(Exception):
    """swarmops failed."""

    exit_code = 1

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class BadInput(SwarmopsError):
    """The request is invalid."""

    exit_code = 2


class ConfigError(BadInput):
    """The configuration is invalid."""


class NotFound(BadInput):
    """No such object."""


class IllegalTransition(BadInput):
    """The state machine does not allow this transition."""


class InvalidDefinition(BadInput):
    """A declared definition is invalid."""


class ValueRejected(BadInput):
    """The store refused a value."""


class MissingTool(BadInput):
    """A program swarmops needs is not installed."""


class Conflict(SwarmopsError):
    """The object changed concurrently."""


class VersionConflict(Conflict):
    """The expected version is not the current version."""


class StaleToken(Conflict):
    """The fencing token is older than the current one."""


class LeaseLost(Conflict):
    """The lease is no longer held by this token."""


class ReservationRefused(Conflict):
    """Another agent holds an overlapping reservation."""


class ConstraintViolation(Conflict):
    """A constraint of the store refused the write."""


class TransactionConflict(Conflict):
    """The transaction collided with another one; running it again may succeed."""


class CheckFailed(SwarmopsError):
    """A check did not pass."""


class PublishError(SwarmopsError):
    """Metrics could not be published."""


class StoreError(SwarmopsError):
    """The store cannot serve the request."""


class StoreUnavailable(StoreError):
    """The store could not be reached."""


class StoreBusy(StoreError):
    """The store stayed locked past the busy timeout."""


class StoreFull(StoreError):
    """The store has no room left."""


class StoreCorrupt(StoreError):
    """The store's file is damaged or is not a database."""


class NoStore(StoreError):
    """There is no store at this URL; run swarmops init to create one."""

    exit_code = 2


class SchemaTooNew(StoreError):
    """The store was migrated by a newer swarmops than this one."""

    exit_code = 2
