"""Backup and verify of a store holding 1,000,000 agent events, beside ``cp`` of the same bytes.

For each database (SQLite; PostgreSQL when ``SWARMOPS_BENCH_PG_URL`` or
``SWARMOPS_TEST_PG_URL`` names a server, in a private schema dropped afterwards): a
store of 1,000 agents with N/1,000 legal moves each (inserted with executemany in
one transaction, not through the FSM) is backed up (``create_backup``: SQLite's
online backup API, or ``pg_dump -Fc`` on an exported snapshot) and verified
(``verify_backup``: checksum, restore into a scratch store, row counts, migrate,
replay of both logs). Then ``cp`` copies the backup file and fsyncs the copy: the
physical limit of writing those bytes on this disk, measured in the same run. Each
figure is seconds and MB/s of the backup file, and its ratio to ``cp``. A PostgreSQL
dump is compressed (the custom format's default), so its file is far smaller than the
store and its MB/s is of the compressed bytes; SQLite's copy is the database's pages.
Run: ``python benchmarks/bench_backup.py [--events N]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from swarmops.backup import Backup, create_backup, verify_backup  # noqa: E402
from swarmops.fsm import load_agent_machine  # noqa: E402
from swarmops.settings import normalise_store_url  # noqa: E402
from swarmops.store import Store, open_store  # noqa: E402
from swarmops.store.schema import agent_events, agents  # noqa: E402

AGENTS = 1_000
BATCH = 50_000
START = datetime(2026, 1, 1, tzinfo=UTC)


def moves(seq: int) -> tuple[str | None, str]:
    """The legal log of every agent: registered, onboarded, then pause/resume in turn."""
    if seq == 1:
        return None, "ONBOARDING"
    if seq == 2:
        return "ONBOARDING", "IDLE"
    return ("IDLE", "PAUSED") if seq % 2 else ("PAUSED", "IDLE")


def seed(store: Store, events: int) -> None:
    """``events`` agent events over AGENTS agents, in one transaction (executemany)."""
    per = events // AGENTS
    last = moves(per)[1]
    rows = [
        {"id": f"a-{i}", "role": "bench", "state": last, "version": per, "capacity": 1}
        | {"skills": [], "created_at": START, "updated_at": START}
        for i in range(AGENTS)
    ]
    with store.unit() as unit:
        unit.execute(sa.insert(agents), rows)
        batch: list[dict[str, object]] = []
        for i in range(AGENTS):
            for seq in range(1, per + 1):
                before, after = moves(seq)
                at = START + timedelta(seconds=seq)
                batch.append(
                    {"agent_id": f"a-{i}", "seq": seq, "from_state": before, "to_state": after}
                    | {"actor": "system", "at": at}
                )
                if len(batch) == BATCH:
                    unit.execute(sa.insert(agent_events), batch)
                    batch = []
        if batch:
            unit.execute(sa.insert(agent_events), batch)


def timed_cp(source: Path) -> float:
    """``cp`` of the file, then fsync of the copy: seconds."""
    target = source.with_name(source.name + ".cp")
    started = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    descriptor = os.open(target, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def bench(label: str, url: str, events: int, folder: Path) -> None:
    store = open_store(url, create=True)
    seed(store, events)
    machine = load_agent_machine(ROOT / "config" / "fsm.yaml")
    started = time.perf_counter()
    manifest = create_backup(store, folder)
    backup_s = time.perf_counter() - started
    started = time.perf_counter()
    verification = verify_backup(store, Backup(folder, manifest), machine)
    verify_s = time.perf_counter() - started
    cp_s = timed_cp(folder / manifest.file)
    store.dispose()
    mb = manifest.size_bytes / 1e6
    print(
        f"{label}: {events:,} agent events, backup file {mb:,.1f} MB, verified: {verification.ok}"
    )
    for what, seconds in (("backup", backup_s), ("verify", verify_s)):
        print(
            f"  {what} {seconds:7.2f} s {mb / seconds:8.1f} MB/s | cp+fsync {cp_s:6.2f} s "
            f"{mb / cp_s:8.1f} MB/s | ratio {seconds / cp_s:6.1f}x"
        )


@contextmanager
def pg_schema(server: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{server}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    events = parser.parse_args().events
    (ROOT / ".swarmops").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / ".swarmops", prefix="bench-backup-") as folder:
        bench("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", events, Path(folder) / "b")
        server = os.environ.get("SWARMOPS_BENCH_PG_URL") or os.environ.get("SWARMOPS_TEST_PG_URL")
        if not server:
            print("postgresql skipped (set SWARMOPS_BENCH_PG_URL)")
            return
        with pg_schema(normalise_store_url(server)) as url:
            bench("postgresql", url, events, Path(folder) / "pg")


if __name__ == "__main__":
    main()
