"""Recorded agent hook payloads and how a test feeds them to ``swarmops hook``: a git
repository to edit, the payload with its paths filled in, the answer read back."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from swarmops.hooks.run import run

FIXTURES = Path(__file__).parent / "fixtures" / "hooks"
FSM = Path(__file__).parents[1] / "config" / "fsm.yaml"
REPO = "github.com/acme/app"
ACCUMULATE = (
    "def accumulate(values):\n    total = 0\n"
    + "".join(f"    total += values[{i}]\n" for i in range(22))
    + "    return total\n"
)  # 25 lines: five under the limit


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "app"
    (root / "pkg").mkdir(parents=True)
    (root / "src" / "app").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text(ACCUMULATE, encoding="utf-8")
    (root / "src" / "app" / "main.py").write_text("VALUE = 1\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name in ("SWARMOPS_API_URL", "SWARMOPS_STORE_URL", "SWARMOPS_AGENT", "SWARMOPS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SWARMOPS_REPOSITORY", REPO)
    monkeypatch.setenv("SWARMOPS_FSM", str(FSM))
    return root


def payload(name: str, root: Path) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text.replace("{repo}", str(root)).replace("{home}", str(root.parent))


def hook(event: str, name: str, root: Path) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = run([event], stdin=io.StringIO(payload(name, root)), stdout=out)
    return code, json.loads(out.getvalue()) if out.getvalue() else {}


def denied(reason: str) -> dict[str, Any]:
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }
    }
