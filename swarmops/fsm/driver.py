"""The transition hot path as named SQL on the driver connection of the caller's transaction.

A transition is the swarm's most frequent write (target: p99 under 1 ms on SQLite,
at least half the raw commit rate). SQLAlchemy Core spends ~0.1 ms of Python per
statement, more than SQLite's whole commit, so the statements a transition needs
run here as plain parameterised SQL on the DBAPI connection of the same
transaction. Only their values are converted (SQLite keeps timestamps as UTC text
and JSON as text, exactly as the Core types write them). Driver errors are
translated into swarmops' tree here, as the Store does for Core statements.
Everything that is not on the hot path uses Core.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from swarmops.errors import Conflict, NotFound, StoreError, VersionConflict, first_line
from swarmops.fsm.models import Agent, AgentEvent

AGENT = "id, role, state, version, capacity, skills, heartbeat_at, updated_at"
EVENT = "id, agent_id, seq, from_state, to_state, at, actor, reason, idempotency_key"
INSERTED = "agent_id, seq, from_state, to_state, at, actor, reason, idempotency_key"


class Dialect(NamedTuple):
    """One database's SQL text and value conversions."""

    select_agent: str
    select_by_key: str
    compare_and_set: str
    insert_event: str
    encode_time: Callable[[datetime], Any]
    decode_time: Callable[[Any], datetime]
    decode_json: Callable[[Any], Any]


def _statements(mark: str) -> dict[str, str]:
    return {
        "select_agent": f"SELECT {AGENT} FROM agents WHERE id = {mark}",
        "select_by_key": f"SELECT {EVENT} FROM agent_events WHERE idempotency_key = {mark}",
        "compare_and_set": f"UPDATE agents SET state = {mark}, version = {mark}, "
        f"updated_at = {mark} WHERE id = {mark} AND version = {mark}",
        "insert_event": f"INSERT INTO agent_events ({INSERTED}) "
        f"VALUES ({', '.join([mark] * 8)}) RETURNING id",
    }


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_read_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


SQLITE = Dialect(
    **_statements("?"),
    encode_time=_sqlite_time,
    decode_time=_sqlite_read_time,
    decode_json=json.loads,
)
POSTGRES = Dialect(
    **_statements("%s"),
    encode_time=lambda value: value,
    decode_time=lambda value: value.astimezone(UTC),
    decode_json=lambda value: value,
)


def fetch_agent(conn: sa.Connection, agent_id: str) -> Agent:
    """The agent's projection row, or NotFound."""
    dialect = _dialect(conn)
    row = _execute(conn, dialect.select_agent, (agent_id,)).fetchone()
    if row is None:
        raise NotFound(f"unknown agent {agent_id!r}")
    beat = row[6]
    return Agent(
        id=row[0],
        role=row[1],
        state=row[2],
        version=row[3],
        capacity=row[4],
        skills=tuple(dialect.decode_json(row[5])),
        heartbeat_at=None if beat is None else dialect.decode_time(beat),
        updated_at=dialect.decode_time(row[7]),
    )


def fetch_event_by_key(conn: sa.Connection, key: str) -> AgentEvent | None:
    dialect = _dialect(conn)
    row = _execute(conn, dialect.select_by_key, (key,)).fetchone()
    if row is None:
        return None
    return AgentEvent(
        id=row[0],
        agent_id=row[1],
        seq=row[2],
        from_state=row[3],
        to_state=row[4],
        at=dialect.decode_time(row[5]),
        actor=row[6],
        reason=row[7],
        key=row[8],
    )


def append_event(conn: sa.Connection, agent: Agent, event: AgentEvent) -> AgentEvent:
    """Move the projection to ``event.to_state`` by compare-and-set, then log the event.

    The UPDATE comes first: it takes the row lock, so a concurrent writer that read
    the same version matches no row and gets a VersionConflict (naming the current
    version) instead of a duplicate sequence number.
    """
    dialect, at = _dialect(conn), _dialect(conn).encode_time(event.at)
    moved = (event.to_state, event.seq, at, agent.id, agent.version)
    if _execute(conn, dialect.compare_and_set, moved).rowcount != 1:
        now = fetch_agent(conn, agent.id).version
        raise VersionConflict(f"agent {agent.id!r} changed concurrently: now at version {now}")
    values = (
        agent.id,
        event.seq,
        agent.state,
        event.to_state,
        at,
        event.actor,
        event.reason,
        event.key,
    )
    event_id = _execute(conn, dialect.insert_event, values).fetchone()[0]
    return event.model_copy(update={"id": event_id})


def _dialect(conn: sa.Connection) -> Dialect:
    return SQLITE if conn.dialect.name == "sqlite" else POSTGRES


def _execute(conn: sa.Connection, statement: str, params: tuple[Any, ...]) -> Any:
    """Run one statement on the transaction's DBAPI connection, translating driver errors."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(statement, params)
    except dbapi.IntegrityError as exc:
        raise Conflict(f"agent_events: {first_line(exc)}") from exc
    except dbapi.Error as exc:
        raise StoreError(f"store: {first_line(exc)}") from exc
    return cursor
