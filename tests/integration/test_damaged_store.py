"""A damaged store is one line naming it and what is wrong, never a traceback.

Whole files that are no database (random bytes, text, a truncated store) fail every
command that opens them; damage that only some pages carry is found by the
integrity check of ``agent verify``, ``agent rebuild`` and the health store probe,
though the queries of other commands never read those pages. A missing table is
damage on both databases. Nothing is written to a damaged store.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.bootstrap import initialise
from swarmops.settings import load_settings
from swarmops.store import open_store
from swarmops.store.schema import probe_results
from tests.refusals import Rows, dump_url, swarmops

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
READERS = [
    ("agent", "show"),
    ("agent", "verify"),
    ("agent", "register", "w1", "--role", "dev"),
    ("contract", "show", "C-101"),
    ("msg", "recv", "agent-1"),
    ("failover", "--dry-run"),
]


def run(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return swarmops("--config", str(CONFIG), "--store-url", url, *args, cwd=cwd)


def assert_failed(result: subprocess.CompletedProcess[str], *mentions: str) -> None:
    """Exit 1 (the store cannot serve) with one error line naming each of ``mentions``."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("swarmops: error: store "), result.stderr
    assert all(m in lines[0] for m in mentions), (mentions, lines[0])


def initialised(url: str) -> str:
    initialise(load_settings(CONFIG, store_url=url, environ={}))
    return url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _truncated(path: Path) -> None:
    initialised(f"sqlite:///{path}")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGES = {
    "random bytes": lambda path: path.write_bytes(os.urandom(8192)),
    "text": lambda path: path.write_text("not a database\n" * 500),
    "a truncated store": _truncated,
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_file_that_is_no_database_is_one_line(
    tmp_path: Path, damage: str, args: tuple[str, ...]
) -> None:
    path = tmp_path / "swarmops.db"
    DAMAGES[damage](path)
    before = digest(path)
    assert_failed(run(f"sqlite:///{path}", *args, cwd=tmp_path), str(path))
    assert digest(path) == before


def _damage_pages_of(path: Path, table: str) -> None:
    """Fill ``probe_results``, then overwrite some of its middle leaf pages: pages no
    agent or contract query reads."""
    store = open_store(f"sqlite:///{path}", migrate=False)
    row = {"kind": "tcp", "ok": True, "latency_s": 0.1, "detail": "x", "at": store.now()}
    with store.unit() as unit:
        unit.execute(probe_results.insert(), [{**row, "target": f"t{i}"} for i in range(3000)])
    store.dispose()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        leaves = "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'"
        pages = [page for (page,) in connection.execute(leaves, (table,))]
    with path.open("r+b") as file:
        for page in pages[len(pages) // 3 : len(pages) // 2]:
            file.seek((page - 1) * size + 8)
            file.write(os.urandom(size - 8))


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "swarmops.db"
    initialised(f"sqlite:///{path}")
    _damage_pages_of(path, probe_results.name)
    return path


def test_damaged_pages_pass_reads_but_fail_verify_rebuild_and_the_probe(
    damaged: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{damaged}"
    before = digest(damaged)
    assert run(url, "agent", "show", cwd=tmp_path).returncode == 0  # reads other pages only
    for args in (("agent", "verify"), ("agent", "rebuild")):
        assert_failed(run(url, *args, cwd=tmp_path), str(damaged), "damaged:")
    checked = run(url, "health", "check", cwd=tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "store" in checked.stdout and "damaged" in checked.stdout
    assert digest(damaged) == before


def test_a_missing_table_is_damage_on_both_databases(store_url: str, tmp_path: Path) -> None:
    url = initialised(store_url)
    store = open_store(url, migrate=False)
    with store.unit() as unit:
        unit.execute(sa.text("DROP TABLE probe_results"))
    store.dispose()
    before: Rows = dump_url(url)
    assert_failed(run(url, "agent", "verify", cwd=tmp_path), "table probe_results is missing")
    probed = run(url, "health", "check", "--format", "json", cwd=tmp_path)
    assert probed.returncode == 1 and "table probe_results is missing" in probed.stdout
    assert dump_url(url) == before
