"""Backups on SQLite and PostgreSQL: taken while four processes write, verified by
restoring them, restored after the store is lost, from an older schema revision too;
the scratch store of a verification is gone even when the verification fails."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from swarmops.backup import create_backup, list_backups, restore_backup, take_backup, verify_backup
from swarmops.backup import verify as verify_module
from swarmops.bootstrap import initialise
from swarmops.contracts import verify_contracts
from swarmops.errors import BadInput, StoreError
from swarmops.fsm import list_agents, load_agent_machine, verify_agents
from swarmops.settings import load_settings
from swarmops.store import Store, open_store
from swarmops.store.copies import restore_copy, store_census
from swarmops.store.migrate import HEAD, MIGRATIONS, current_revision
from swarmops.store.schema import agent_events, agents

ROOT = Path(__file__).resolve().parents[2]
MACHINE = load_agent_machine(ROOT / "config" / "fsm.yaml")
WRITERS, ROUNDS = 4, 150

# One writer: a random legal move of its own agent, then a message to the next agent.
WRITER = """
import random, sys
from swarmops.coordination import SendRequest, send
from swarmops.errors import IllegalTransition, VersionConflict
from swarmops.fsm import get_agent, load_agent_machine, transition
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store

url, fsm, me, peer, rounds = sys.argv[1:]
store, machine = open_store(url, migrate=False), load_agent_machine(fsm)
rng, policy = random.Random(me), CoordinationSettings()
for i in range(int(rounds)):
    state = get_agent(store, me).state
    target = rng.choice([t for t in machine.targets(state) if t != "SHUTDOWN"])
    try:
        in_unit(store, transition, machine, me, target, actor="system")
    except (IllegalTransition, VersionConflict):
        pass
    in_unit(store, send, SendRequest(sender=me, to=peer, body={"round": i}), policy)
"""


def initialised(store_url: str) -> Store:
    """The demo swarm's agents and contracts, applied as ``swarmops init`` does."""
    initialise(load_settings(ROOT / "config" / "swarmops.yaml", store_url=store_url))
    return open_store(store_url, migrate=False)


def lose(store: Store, store_url: str) -> None:
    """The store is gone: its SQLite file deleted, or its PostgreSQL schema emptied."""
    store.dispose()
    url = sa.engine.make_url(store_url)
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()


def events(store: Store) -> int:
    with store.unit(read_only=True) as unit:
        return int(unit.scalar(sa.select(sa.func.count()).select_from(agent_events)))


def start_writers(store_url: str, ids: list[str]) -> list[subprocess.Popen[str]]:
    """Each of ``ids`` moves itself and messages the next, in a process of its own."""
    fsm = str(ROOT / "config" / "fsm.yaml")
    return [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, store_url, fsm, me, ids[(n + 1) % WRITERS], str(ROUNDS)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, me in enumerate(ids)
    ]


def finish(writers: list[subprocess.Popen[str]]) -> None:
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err


@pytest.mark.slow
def test_a_backup_under_four_writers_verifies_and_restores_to_its_manifest(
    store_url: str, tmp_path: Path
) -> None:
    store = initialised(store_url)
    before = events(store)
    writers = start_writers(store_url, [agent.id for agent in list_agents(store)][:WRITERS])
    while events(store) < before + 40:  # the writers are well under way
        time.sleep(0.02)
    manifest = create_backup(store, tmp_path / "backups")
    finish(writers)
    assert events(store) > manifest.tables["agent_events"] > before  # taken mid-stream
    (backup,) = list_backups(tmp_path / "backups")
    verification = verify_backup(store, backup, MACHINE)
    assert verification.ok, verification.differences
    lose(store, store_url)
    restored = restore_backup(backup, store_url)
    assert restored.migrated_to == HEAD
    again = open_store(store_url, migrate=False)
    assert store_census(again, manifest.format).tables == manifest.tables
    assert verify_agents(again, MACHINE).ok and verify_contracts(again).ok
    again.dispose()


def at_revision(store_url: str, revision: str) -> None:
    """A store migrated only to ``revision``, holding one agent and its event."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        seed_one_agent(connection)
    engine.dispose()


def seed_one_agent(connection: sa.Connection) -> None:
    """Rows written as an older swarmops wrote them: only the columns of revision 0002."""
    now = datetime.now(UTC)
    connection.execute(
        sa.insert(agents).values(
            id="old-1",
            role="dev",
            state="ONBOARDING",
            version=1,
            capacity=1,
            skills=[],
            created_at=now,
            updated_at=now,
        )
    )
    connection.execute(
        sa.insert(agent_events).values(
            agent_id="old-1", seq=1, from_state=None, to_state="ONBOARDING", actor="system", at=now
        )
    )


def test_a_backup_of_an_older_schema_verifies_restores_and_migrates(
    store_url: str, tmp_path: Path
) -> None:
    at_revision(store_url, "0002")
    manifest = take_backup(store_url, tmp_path, datetime.now(UTC))  # as an older swarmops did
    assert manifest.revision == "0002" and "backup_events" not in manifest.tables
    (backup,) = list_backups(tmp_path)
    current = open_store(store_url)  # this swarmops migrates the live store on first use
    verification = verify_backup(current, backup, MACHINE)
    assert verification.ok, verification.differences
    lose(current, store_url)
    restored = restore_backup(backup, store_url)
    assert (restored.revision, restored.migrated_to) == ("0002", HEAD)
    again = open_store(store_url, migrate=False)
    assert current_revision(again) == HEAD
    assert [a.id for a in list_agents(again)] == ["old-1"] and verify_agents(again, MACHINE).ok
    again.dispose()


def test_the_scratch_store_is_removed_when_verification_fails(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_backup(store, tmp_path)
    (backup,) = list_backups(tmp_path)
    seen: list[str] = []

    def broken(scratch: Store) -> None:
        seen.append(scratch.engine.url.render_as_string(hide_password=False))
        raise RuntimeError("replay broke")

    monkeypatch.setattr(verify_module, "verify_contracts", broken)
    with pytest.raises(RuntimeError, match="replay broke"):
        verify_backup(store, backup, MACHINE)
    (url,) = seen
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert not Path(str(parsed.database)).parent.exists()
    else:
        with store.unit(read_only=True) as unit:
            named = sa.text("SELECT count(*) FROM pg_database WHERE datname = :name")
            assert unit.scalar(named, {"name": parsed.database}) == 0


def test_a_postgresql_backup_restores_under_another_schema_name(
    store_url: str, tmp_path: Path
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("schemas are PostgreSQL's")
    store = initialised(store_url)
    manifest = create_backup(store, tmp_path)
    (backup,) = list_backups(tmp_path)
    source = str(manifest.schema_name)
    other = store_url.replace(source, f"{source}_b")
    with pytest.raises(BadInput, match=f"the backup's schema '{source}' exists in the target"):
        restore_backup(backup, other)
    store.dispose()
    admin = sa.create_engine(store_url)
    with admin.begin() as connection:  # the source is lost: its schema gone
        connection.exec_driver_sql(f'ALTER SCHEMA "{source}" RENAME TO "{source}_gone"')
    try:
        restore_backup(backup, other)
        moved = open_store(other, migrate=False)
        assert store_census(moved, "pg_dump").tables == manifest.tables
        assert verify_agents(moved, MACHINE).ok and verify_contracts(moved).ok
        moved.dispose()
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{source}_b" CASCADE')
            connection.exec_driver_sql(f'ALTER SCHEMA "{source}_gone" RENAME TO "{source}"')
        admin.dispose()


def test_a_restore_that_fails_leaves_the_target_as_it_was(store_url: str, tmp_path: Path) -> None:
    store = initialised(store_url)
    manifest = create_backup(store, tmp_path)
    before = store_census(store, manifest.format).tables
    data = tmp_path / manifest.file
    data.write_bytes(data.read_bytes()[: manifest.size_bytes // 3])  # cut short
    with pytest.raises(StoreError):
        restore_copy(data, manifest.census(), store_url, force=True)
    assert store_census(store, manifest.format).tables == before
    assert verify_agents(store, MACHINE).ok
    store.dispose()
