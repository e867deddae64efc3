"""The hook commands fed recorded Claude Code payloads, answering exactly per its protocol.

Direct mode (``SWARMOPS_STORE_URL``) on SQLite and PostgreSQL for the reservation
checks; a gateway that is down for failing open; the compliance gate in memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hook_payloads import ACCUMULATE, REPO, denied, hook, payload

from swarmops.reservations import ReserveRequest, reserve
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store
from swarmops.store.schema import agent_sessions
from swarmops.testing import seed_agent

GROWS = (
    "swarmops: function-lines: accumulate (line 1) would be 35 lines, limit 30 (major) "
    "in pkg/mod.py; change the edit to stay within it"
)


@pytest.mark.parametrize(
    "name", ["pre_tool_use_edit_grows_function.json", "pre_tool_use_multiedit_grows_function.json"]
)
def test_an_edit_that_grows_a_function_past_30_lines_is_denied(repo: Path, name: str) -> None:
    assert hook("pre-tool-use", name, repo) == (0, denied(GROWS))
    assert (repo / "pkg" / "mod.py").read_text(encoding="utf-8") == ACCUMULATE  # nothing written


def test_a_write_of_a_long_function_is_denied(repo: Path) -> None:
    code, answer = hook("pre-tool-use", "pre_tool_use_write_long_function.json", repo)
    assert (code, answer) == (
        0,
        denied(
            "swarmops: function-lines: long_one (line 1) would be 33 lines, limit 30 (major) "
            "in pkg/fresh.py; change the edit to stay within it"
        ),
    )
    assert not (repo / "pkg" / "fresh.py").exists()


@pytest.mark.parametrize(
    "name",
    ["pre_tool_use_edit_clean.json", "pre_tool_use_multiedit_clean.json", "pre_tool_use_read.json"],
)
def test_a_clean_edit_gets_no_answer(repo: Path, name: str) -> None:
    assert hook("pre-tool-use", name, repo) == (0, {})


def test_warn_mode_tells_the_model_without_denying(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWARMOPS_HOOK_COMPLIANCE", "warn")
    code, answer = hook("pre-tool-use", "pre_tool_use_edit_grows_function.json", repo)
    warning = GROWS.replace("swarmops: ", "swarmops (warning): ", 1)
    assert (code, answer) == (
        0,
        {"hookSpecificOutput": {"hookEventName": "PreToolUse", "additionalContext": warning}},
    )


def test_the_gateway_down_fails_open_with_a_warning(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWARMOPS_AGENT", "bob")
    monkeypatch.setenv("SWARMOPS_API_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    for event, name in [
        ("pre-tool-use", "pre_tool_use_edit_reserved.json"),
        ("session-start", "session_start.json"),
        ("post-tool-use", "post_tool_use_edit.json"),
        ("stop", "stop.json"),
    ]:
        code, answer = hook(event, name, repo)
        assert code == 0 and set(answer) == {"systemMessage"}, (event, answer)
        assert (
            "unreachable" in answer["systemMessage"] and "failing open" in answer["systemMessage"]
        )


def test_a_payload_that_is_not_json_is_a_non_blocking_error(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "swarmops", "hook", "pre-tool-use"],
        input="{not json",
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr.startswith("swarmops: hook payload is not JSON")
        and len(done.stderr.splitlines()) == 1
    )


@pytest.fixture
def swarm(store_url: str, repo: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    store = open_store(
        store_url, create=True
    )  # the system clock: the hook's process reads the same one
    for agent in ("ann", "bob"):
        seed_agent(store, agent, "dev")
    request = ReserveRequest(agent_id="ann", repository=REPO, patterns=["src/app/**"])
    held = in_unit(store, reserve, request, CoordinationSettings()).reservations[0]
    monkeypatch.setenv("SWARMOPS_STORE_URL", store_url)
    yield store, held
    store.dispose()


@pytest.mark.parametrize(
    "name",
    [
        "pre_tool_use_edit_reserved.json",
        "pre_tool_use_write_reserved.json",
        "codex_pre_tool_use_apply_patch.json",
    ],
)
def test_an_edit_of_another_agents_reserved_path_is_denied(
    swarm: Any, repo: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _store, held = swarm
    monkeypatch.setenv("SWARMOPS_AGENT", "bob")
    code, answer = hook("pre-tool-use", name, repo)
    path = "src/app/new_module.py" if "write" in name else "src/app/main.py"
    until = held.expires_at.isoformat(timespec="seconds")
    assert (code, answer) == (
        0,
        denied(
            f"swarmops: {path} is reserved by ann (src/app, exclusive) until {until}: "
            "leave it to them or ask them to release it"
        ),
    )


def test_the_holder_edits_its_own_reserved_path(
    swarm: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWARMOPS_AGENT", "ann")
    assert hook("pre-tool-use", "pre_tool_use_edit_reserved.json", repo) == (0, {})


def test_session_start_post_tool_use_and_stop(
    swarm: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _held = swarm
    monkeypatch.setenv("SWARMOPS_AGENT", "ann")
    code, answer = hook("session-start", "session_start.json", repo)
    context = answer["hookSpecificOutput"]
    assert code == 0 and context["hookEventName"] == "SessionStart"
    assert context["additionalContext"].startswith(
        f"swarmops: you are agent ann (IDLE); your reservations: {REPO}:src/app"
    )
    assert hook("stop", "stop.json", repo) == (0, {})
    with store.unit(read_only=True) as unit:
        assert unit.scalar(sa.select(agent_sessions.c.stopped_at)) is not None
    assert hook("post-tool-use", "post_tool_use_edit.json", repo) == (0, {})
    with store.unit(read_only=True) as unit:
        assert unit.scalar(sa.select(agent_sessions.c.stopped_at)) is None


HEAVY_ON_THE_EDIT_PATH = {"sqlalchemy", "pydantic", "pandas", "prefect", "typer", "rich"}
HEAVY_ON_THE_EDIT_PATH |= {"httpx", "yaml"}


def test_the_hook_path_imports_nothing_heavy(repo: Path) -> None:
    """-X importtime of a PreToolUse hook talking to a (down) gateway: no SQLAlchemy,
    pydantic, pandas, prefect, Typer or rich on its path (once the file's rule profile is
    cached: the first edit of a path builds it from the rule set, which needs pydantic)."""
    hook("pre-tool-use", "pre_tool_use_edit_grows_function.json", repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    env |= {"SWARMOPS_AGENT": "bob", "SWARMOPS_API_URL": "http://127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "swarmops", "hook", "pre-tool-use"],
        input=payload("pre_tool_use_edit_grows_function.json", repo),
        capture_output=True,
        text=True,
        cwd=repo,
        env=env,
        check=False,
    )
    assert done.returncode == 0 and '"permissionDecision": "deny"' in done.stdout
    imported = {
        row.split("|")[-1].strip().split(".")[0]
        for row in done.stderr.splitlines()
        if row.startswith("import time:")
    }
    assert "swarmops" in imported and "http" in imported  # the measurement is real
    assert not imported & HEAVY_ON_THE_EDIT_PATH
