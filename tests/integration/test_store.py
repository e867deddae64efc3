"""The store on both databases: created only when asked, migrated idempotently, policy applied."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from swarmops.errors import SchemaTooNew
from swarmops.store import open_store
from swarmops.store.migrate import HEAD, current_revision, ensure_schema, pending_revisions
from swarmops.store.schema import metadata


def test_creating_makes_every_table_at_head(store_url: str) -> None:
    store = open_store(store_url, create=True)
    try:
        assert current_revision(store) == HEAD
        assert pending_revisions(store) == []
        with store.unit(read_only=True) as unit:
            tables = set(sa.inspect(unit.connection).get_table_names())
        assert set(metadata.tables) <= tables
    finally:
        store.dispose()


def test_ensure_schema_twice_changes_nothing(store_url: str) -> None:
    store = open_store(store_url, migrate=False, create=True)
    try:
        assert ensure_schema(store).changed is True
        assert ensure_schema(store).changed is False
        assert current_revision(store) == HEAD
    finally:
        store.dispose()


def test_a_store_migrated_by_a_newer_version_is_refused(store_url: str) -> None:
    store = open_store(store_url, create=True)
    with store.unit() as unit:
        unit.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.dispose()
    with pytest.raises(SchemaTooNew, match="'9999', newer than this swarmops knows"):
        open_store(store_url)


def test_sqlite_connection_policy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'db.sqlite'}", create=True)
    try:
        with store.unit(read_only=True) as unit:
            pragma = unit.connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        store.dispose()


def test_a_unit_rolls_back_on_error(store) -> None:  # type: ignore[no-untyped-def]
    from swarmops.store.schema import queues

    with pytest.raises(RuntimeError), store.unit() as unit:
        unit.execute(queues.insert().values(name="q", kind="agent", created_at=store.now()))
        raise RuntimeError("boom")
    with store.unit(read_only=True) as unit:
        assert unit.execute(sa.select(sa.func.count()).select_from(queues)).scalar() == 0


def test_timestamps_round_trip_as_aware_utc(store) -> None:  # type: ignore[no-untyped-def]
    from swarmops.store.schema import queues

    moment = store.now()
    with store.unit() as unit:
        unit.execute(queues.insert().values(name="q", kind="agent", created_at=moment))
    with store.unit(read_only=True) as unit:
        stored = unit.execute(sa.select(queues.c.created_at)).scalar_one()
    assert stored == moment and stored.tzinfo is not None


def test_a_broken_constraint_is_a_conflict_naming_the_store(store) -> None:  # type: ignore[no-untyped-def]
    from swarmops.errors import ConstraintViolation
    from swarmops.store.schema import queues

    row = {"name": "q", "kind": "agent", "created_at": store.now()}
    with store.unit() as unit:
        unit.execute(queues.insert().values(**row))
    expected = f"^store {re.escape(store.url)}: "
    with pytest.raises(ConstraintViolation, match=expected) as raised, store.unit() as unit:
        unit.execute(queues.insert().values(**row))
    assert raised.value.exit_code == 1 and "\n" not in raised.value.message


def test_savepoints_undo_only_their_own_writes(store) -> None:  # type: ignore[no-untyped-def]
    from swarmops.errors import ConstraintViolation
    from swarmops.store.schema import queues

    with store.unit() as unit:
        unit.execute(queues.insert().values(name="a", kind="agent", created_at=store.now()))
        with pytest.raises(ConstraintViolation), unit.savepoint():
            unit.execute(queues.insert().values(name="b", kind="agent", created_at=store.now()))
            unit.execute(queues.insert().values(name="a", kind="agent", created_at=store.now()))
        unit.execute(queues.insert().values(name="c", kind="agent", created_at=store.now()))
    with store.unit(read_only=True) as unit:
        assert unit.scalars(sa.select(queues.c.name).order_by(queues.c.name)) == ["a", "c"]
