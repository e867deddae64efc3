"""``swarmops hook``: the commands agent tools and git run as hooks (see integrations/).

``swarmops.cli.main`` runs these before Typer loads (they run on every tool call);
this group is what ``swarmops hook --help`` shows, and runs the same code.
"""

from __future__ import annotations

from typing import Annotated

import typer

hook_app = typer.Typer(
    help="Hooks for Claude Code, Codex and git: coordination and compliance in the edit loop."
)
ToolOption = Annotated[str, typer.Option("--tool", help="claude-code or codex.")]


def _run(event: str, tool: str) -> None:
    from swarmops.hooks.run import run

    raise typer.Exit(run([event, "--tool", tool]))


@hook_app.command("session-start")
def session_start(tool: ToolOption = "claude-code") -> None:
    """SessionStart: heartbeat, mark the session at work, tell the agent what it holds."""
    _run("session-start", tool)


@hook_app.command("pre-tool-use")
def pre_tool_use(tool: ToolOption = "claude-code") -> None:
    """PreToolUse on Edit/Write/MultiEdit (Codex: apply_patch): deny an edit of a path
    another agent reserved, or one that adds a compliance finding."""
    _run("pre-tool-use", tool)


@hook_app.command("post-tool-use")
def post_tool_use(tool: ToolOption = "claude-code") -> None:
    """PostToolUse: heartbeat, which renews the agent's reservations."""
    _run("post-tool-use", tool)


@hook_app.command("stop")
def stop(tool: ToolOption = "claude-code") -> None:
    """Stop: the agent finished its turn; its session is idle, not dead."""
    _run("stop", tool)


@hook_app.command("pre-commit")
def pre_commit() -> None:
    """git pre-commit: refuse staged paths another agent holds; run the compliance gate."""
    _run("pre-commit", "claude-code")
