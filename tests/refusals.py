"""The command line's refusal contract, shared by the tests that try bad input:
exit status 2, one line on stderr, no traceback, and the store as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from swarmops.store import Store, open_store

Rows = dict[str, list[tuple[Any, ...]]]


def swarmops(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``swarmops ARGS`` in a process of its own, with no ``SWARMOPS_`` variable but ``env``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    environ.update(env or {})
    command = [sys.executable, "-m", "swarmops", *args]
    return subprocess.run(
        command, cwd=cwd, env=environ, input=stdin, capture_output=True, text=True, timeout=120
    )


def dump(store: Store) -> Rows:
    """Every row of every table (alembic's included), in a stable order."""
    with store.unit(read_only=True) as unit:
        names = sorted(sa.inspect(unit.connection).get_table_names())
        return {
            name: sorted(
                (tuple(row) for row in unit.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr
            )
            for name in names
        }


def dump_url(store_url: str) -> Rows:
    store = open_store(store_url, migrate=False)
    try:
        return dump(store)
    finally:
        store.dispose()


def assert_refused(result: subprocess.CompletedProcess[str], *mentions: str) -> None:
    """Exit 2 with one ``swarmops: error:`` line naming each of ``mentions``."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert all(m in lines[0] for m in mentions), (mentions, lines[0])


def in_process(
    store_url: str, capsys: Any, monkeypatch: Any
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run(*args, **env)``: ``swarmops --store-url URL ARGS`` through the CLI's entry point
    in this process (fast enough for many cases), as a CompletedProcess."""
    from swarmops.cli.app import main

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        with monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            code = 0
            try:
                main(["--store-url", store_url, *args])
            except SystemExit as exit_:
                code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def refused_unchanged(
    run: Callable[..., subprocess.CompletedProcess[str]],
    store: Store,
    args: list[str],
    *mentions: str,
    **env: str,
) -> None:
    """``run(*args, **env)`` is refused naming ``mentions`` and leaves every table as it was."""
    before = dump(store)
    assert_refused(run(*args, **env), *mentions)
    assert dump(store) == before
