"""Only ``init`` creates a store: every other command finds none and says so, creating
nothing, on SQLite (no file, no folder, an empty file) and PostgreSQL (a schema with
no tables). Exit 2, one line naming the store and ``swarmops init``, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.refusals import assert_refused, swarmops

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
# Reads and writes of every capability, and the long-running servers.
COMMANDS = [
    ("agent", "show"),
    ("agent", "register", "w1", "--role", "dev"),
    ("agent", "verify"),
    ("contract", "apply", str(CONFIG.parent / "contracts")),
    ("contract", "show", "C-101"),
    ("msg", "send", "--from", "ops", "--to", "w1", "--body", "{}"),
    ("failover", "--dry-run"),
    ("assign", "--dry-run"),
    ("metrics",),
    ("health", "report"),
    ("token", "list"),
    ("reservations",),
    ("gateway", "--port", "0"),
    ("serve",),
]


def run(url: str, args: tuple[str, ...], cwd: Path):  # type: ignore[no-untyped-def]
    return swarmops("--config", str(CONFIG), "--store-url", url, *args, cwd=cwd)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_missing_sqlite_file_or_folder_is_no_store(tmp_path: Path, args: tuple[str, ...]) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}"
    assert_refused(run(url, args, tmp_path), f"no store at {url}", "run swarmops init")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("args", COMMANDS[:6], ids=" ".join)
def test_an_empty_sqlite_file_is_no_store(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert_refused(run(f"sqlite:///{path}", args, tmp_path), "no store at", "swarmops init")
    assert path.stat().st_size == 0 and sorted(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("args", COMMANDS[:6], ids=" ".join)
def test_a_postgresql_schema_without_tables_is_no_store(
    pg_schema_url: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert_refused(run(pg_schema_url, args, tmp_path), "no store at", "swarmops init")
    engine = sa.create_engine(pg_schema_url)
    try:
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


def test_init_creates_it_and_then_the_commands_find_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'swarmops.db'}"
    assert run(url, ("init",), tmp_path).returncode == 0
    shown = run(url, ("agent", "show", "--format", "json"), tmp_path)
    assert shown.returncode == 0 and shown.stdout.count('"id"') == 8


def test_mcp_over_stdio_finds_no_store_before_it_serves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    token = {"SWARMOPS_TOKEN": "swo_abc_def"}
    served = swarmops("--config", str(CONFIG), "--store-url", url, "mcp", cwd=tmp_path, env=token)
    assert_refused(served, f"no store at {url}", "run swarmops init")
    assert list(tmp_path.iterdir()) == []
