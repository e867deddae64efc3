"""Property: any value for any flag of any command either works (exit 0, or 1 for a
check that legitimately fails) or is refused with exit 2 and one stderr line; never
another code, never a traceback. The same for generated settings files.

Commands run in-process (``swarmops.cli.app._run``) against one initialised SQLite
store, in a workspace holding a copy of the config (a generated path is created there,
never in the repository), so a few hundred examples take seconds. SKIPPED names each
command left out and why: servers that serve until stopped, hooks (stdin and a
gateway), network probes and the slow stage flows.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, get_args
from unittest import mock

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from swarmops.cli.app import _run, app
from swarmops.settings import SETTING_FIELDS, Settings
from swarmops.store import in_unit, open_store

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {
    "serve": "serves every deployment until stopped",
    "gateway": "serves HTTP until stopped",
    "mcp": "serves MCP on stdio until stopped",
    "demo": "runs the whole pipeline for minutes",
    "pipeline run": "runs the stage flows (Prefect), tens of seconds each",
    "validate": "loads great_expectations, seconds per run",
    "hook": "hooks read a payload on stdin and call the gateway",
    "health check": "probes the configured network targets, seconds each",
}
COMMAND = typer.main.get_command(app)
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
IDS = st.sampled_from(["a1", "a2", "C-101", "web", "IDLE", "1", ""])


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if " ".join(path) in SKIPPED or (path and path[0] in SKIPPED):
        return []
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [(path, command)]
    return [leaf for name, sub in subcommands.items() for leaf in _leaves(sub, (*path, name))]


LEAVES = _leaves(COMMAND)


def _kind(param: Any) -> Any:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    return (get_args(annotation) or (annotation,))[0]


def _values(param: Any) -> st.SearchStrategy[str]:
    """Junk and sense for one parameter, by its type."""
    kind = _kind(param)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from([m.value for m in kind]) | TEXT
    if kind is int:
        return st.integers(-(2**70), 2**70).map(str) | st.sampled_from(["nan", "1.5", ""])
    if kind is float:
        return st.floats().map(repr) | st.sampled_from(["nan", "inf", "-inf", "1e400", "x"])
    return IDS | TEXT


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(LEAVES))
    args = list(path)
    for param in command.params:
        wanted = param.required or draw(st.booleans())
        if not wanted or param.name == "help":
            continue
        if getattr(param, "is_flag", False):
            args.append(param.opts[0])
            continue
        value = draw(_values(param))
        args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _run(COMMAND, list(args), debug=False)
    return code, out.getvalue(), err.getvalue()


def assert_contract(code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        assert len(err.splitlines()) == 1, err


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An initialised store, with the commands run in a workspace holding a copy of the
    repository's config: whatever a generated path names is created there, never in the
    repository."""
    workspace = tmp_path_factory.mktemp("props")
    shutil.copytree(ROOT / "config", workspace / "config")
    url = f"sqlite:///{workspace / 's.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workspace)
        assert run("--store-url", url, "init")[0] == 0
        for agent in ("a1", "a2"):
            run("--store-url", url, "agent", "register", agent, "--role", "web")
        yield url


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=invocations())
def test_any_flag_value_works_or_is_one_line_exit_2(store_url: str, args: list[str]) -> None:
    code, _out, err = run("--store-url", store_url, *args)
    assert_contract(code, err)


SECTIONS = {
    name: sorted(field.annotation.model_fields)
    for name, field in Settings.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
}
KEYS = st.sampled_from([*sorted(SETTING_FIELDS), "bogus"])
SECTION_KEYS = st.sampled_from([*sorted({k for keys in SECTIONS.values() for k in keys}), "bogus"])
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT | KEYS, inner, max_size=3),
    max_leaves=6,
)
VARIABLES = st.sampled_from(
    [f"SWARMOPS_{name.upper()}" for name in sorted(SETTING_FIELDS - {"store_url"})]
    + [f"SWARMOPS_{s.upper()}__{k.upper()}" for s, keys in SECTIONS.items() for k in keys]
)
NUMBERS = st.sampled_from(["nan", "inf", "-inf", "1e400", "1e12", "-1", "0", "1" * 25])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    config=st.dictionaries(KEYS, JUNK | st.dictionaries(SECTION_KEYS, JUNK, max_size=3), max_size=4)
)
def test_any_settings_file_loads_or_is_one_line_exit_2(
    tmp_path: Path, store_url: str, config: dict[str, Any]
) -> None:
    path = tmp_path / "swarmops.yaml"
    path.write_text(json.dumps(config, allow_nan=True), encoding="utf-8")
    code, _out, err = run("--config", str(path), "--store-url", store_url, "agent", "show")
    assert_contract(code, err)


def test_the_store_still_opens(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    try:
        assert in_unit(store, lambda unit: unit.url)
    finally:
        store.dispose()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(environ=st.dictionaries(VARIABLES, NUMBERS | TEXT, max_size=3))
def test_any_setting_variable_loads_or_is_one_line_exit_2(
    store_url: str, environ: dict[str, str]
) -> None:
    """Known variables only: an unknown one adds its warning line (tested on its own)."""
    with mock.patch.dict(os.environ, environ):
        code, _out, err = run("--store-url", store_url, "failover", "--dry-run")
    assert_contract(code, err)
