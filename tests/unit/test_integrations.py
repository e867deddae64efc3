"""The hook settings shipped under integrations/ name commands that exist and the
gateway's default address, so copying them as the README says is enough."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import typer

from swarmops.cli.hook import hook_app
from swarmops.gateway.server import DEFAULT_PORT

INTEGRATIONS = Path(__file__).resolve().parents[2] / "integrations"
SHIPPED = ["claude-code/settings.json", "codex/hooks.json"]


def commands(settings: dict) -> list[list[str]]:  # type: ignore[type-arg]
    return [
        shlex.split(hook["command"])
        for groups in settings["hooks"].values()
        for group in groups
        for hook in group["hooks"]
    ]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_hook_command_is_a_swarmops_hook_subcommand(name: str) -> None:
    settings = json.loads((INTEGRATIONS / name).read_text(encoding="utf-8"))
    known = set(typer.main.get_group(hook_app).commands)
    called = commands(settings)
    assert called and all(argv[:2] == ["swarmops", "hook"] for argv in called)
    assert {argv[2] for argv in called} <= known


def test_claude_code_settings_point_at_the_gateway_default() -> None:
    settings = json.loads((INTEGRATIONS / "claude-code/settings.json").read_text("utf-8"))
    assert settings["env"]["SWARMOPS_API_URL"] == f"http://127.0.0.1:{DEFAULT_PORT}"
    assert "SWARMOPS_TOKEN" not in settings["env"]  # a secret is exported, not committed
