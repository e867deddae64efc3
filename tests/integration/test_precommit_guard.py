"""The git pre-commit guard (integrations/git/pre-commit) on SQLite and PostgreSQL: a commit
of another agent's reserved path is refused naming holder and expiry, the agent's own
passes, and staged content that adds a finding fails the compliance gate."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from swarmops.reservations import ReserveRequest, reserve
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store
from swarmops.testing import seed_agent

ROOT = Path(__file__).parents[2]
REPO = "github.com/acme/app"


def git(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    (root / "src" / "app").mkdir(parents=True)
    (root / "src" / "app" / "main.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "lib.py").write_text("VALUE = 1\n", encoding="utf-8")
    git(tmp_path, "init", "-q", str(root))
    for key, value in (("user.name", "t"), ("user.email", "t@example.com")):
        git(root, "config", key, value)
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", "initial").returncode == 0
    shutil.copy(
        ROOT / "integrations" / "git" / "pre-commit", root / ".git" / "hooks" / "pre-commit"
    )
    return root


def agent_env(agent: str, store_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env |= {"SWARMOPS_AGENT": agent, "SWARMOPS_STORE_URL": store_url, "SWARMOPS_REPOSITORY": REPO}
    return env | {"SWARMOPS_FSM": str(ROOT / "config" / "fsm.yaml")}


@pytest.mark.slow
def test_guard_refuses_another_agents_path_and_passes_its_own(store_url: str, repo: Path) -> None:
    store = open_store(store_url, create=True)
    for agent in ("ann", "bob"):
        seed_agent(store, agent, "dev")
    ask = ReserveRequest(agent_id="ann", repository=REPO, patterns=["src/app/"])
    held = in_unit(store, reserve, ask, CoordinationSettings()).reservations[0]
    store.dispose()
    (repo / "src" / "app" / "main.py").write_text("VALUE = 2\n", encoding="utf-8")
    git(repo, "add", "src/app/main.py")
    refused = git(repo, "commit", "-qm", "bob edits ann's file", env=agent_env("bob", store_url))
    until = held.expires_at.isoformat(timespec="seconds")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"swarmops: commit refused: src/app/main.py is reserved by ann (src/app, exclusive) "
        f"until {until}"
    )
    assert git(repo, "commit", "-qm", "ann's own", env=agent_env("ann", store_url)).returncode == 0
    assert git(repo, "log", "--format=%s", "-1").stdout.strip() == "ann's own"


@pytest.mark.slow
def test_guard_runs_the_compliance_gate_on_staged_content(repo: Path, tmp_path: Path) -> None:
    body = "".join(f"    v{i} = {i}\n" for i in range(31))
    (repo / "lib.py").write_text(f"def long_one():\n{body}    return 0\n", encoding="utf-8")
    git(repo, "add", "lib.py")
    (repo / "lib.py").write_text("VALUE = 3\n", encoding="utf-8")  # the work tree differs
    env = agent_env("bob", f"sqlite:///{tmp_path / 'unused.db'}")
    del env["SWARMOPS_STORE_URL"], env["SWARMOPS_AGENT"]  # no coordination configured
    failed = git(repo, "commit", "-qm", "long function", env=env)
    assert failed.returncode == 1
    assert failed.stderr.strip() == (
        "swarmops: compliance gate: lib.py: long_one: function-lines 33 > 30 (major, new)"
    )
