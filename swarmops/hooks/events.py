"""One handler per hook event: a payload in, the protocol's answer out.

Settings come from the environment the tool gives its hooks (Claude Code's
``env`` in settings.json): ``SWARMOPS_AGENT`` (who this agent is),
``SWARMOPS_API_URL``/``SWARMOPS_TOKEN`` (the gateway) or ``SWARMOPS_STORE_URL``
(direct), ``SWARMOPS_HOOK_COMPLIANCE`` (``block``, the default, ``warn`` or
``off``), ``SWARMOPS_HOOK_FAIL_ON`` (the lowest severity that counts, default
``major``) and ``SWARMOPS_HOOK_BUDGET_S`` (seconds per gateway request, default 2,
at most 60). A value a hook does not know is its default: a hook fails open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swarmops.hooks.client import Coordinator, Unreachable
from swarmops.hooks.edits import Change, changes
from swarmops.hooks.gate import added_findings, describe
from swarmops.hooks.protocol import Answer, context, deny, proceed
from swarmops.hooks.repo import find_repository

MODES, SEVERITIES = ("block", "warn", "off"), ("minor", "major", "critical")


@dataclass(frozen=True)
class HookContext:
    """What a handler may use besides its payload: the environment and a coordinator."""

    env: dict[str, str]
    coordinator: Callable[[], Coordinator | None]
    tool: str = "claude-code"

    def setting(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = (self.env.get(name) or default).strip().lower()
        return value if value in allowed else default


def session_start(payload: dict[str, Any], ctx: HookContext) -> Answer:
    coordinator, warning = _reach(ctx)
    if coordinator is None:
        return proceed(warning or "swarmops: set SWARMOPS_AGENT to coordinate this session")
    try:
        started = coordinator.start_session(ctx.tool, _text(payload.get("session_id")))
    except Unreachable as exc:
        return proceed(_failing_open(exc))
    held = ", ".join(f"{r['repository']}:{r['pattern']}" for r in started.get("reservations", []))
    agent = started.get("agent") or {}
    text = f"swarmops: you are agent {agent.get('id')} ({agent.get('state')})"
    text += f"; your reservations: {held}" if held else "; you hold no path reservations"
    return context("SessionStart", text + ". Reserve paths with `swarmops reserve` first.")


def pre_tool_use(payload: dict[str, Any], ctx: HookContext) -> Answer:
    cwd = _text(payload.get("cwd")) or "."
    tool_input = payload.get("tool_input")
    found = changes(
        _text(payload.get("tool_name")) or "",
        tool_input if isinstance(tool_input, dict) else {},
        cwd,
    )
    repo = find_repository(cwd) if found else None
    inside = [(repo.relative(Path(cwd, c.path)), c) for c in found] if repo else []
    edits = [(rel, change) for rel, change in inside if rel]
    if repo is None or not edits:
        return proceed()
    held, warning = _reserved(ctx, repo.name, [rel for rel, _ in edits])
    shape = _shape(ctx, repo.root, edits)
    mode = ctx.setting("SWARMOPS_HOOK_COMPLIANCE", "block", MODES)
    reasons = held + (shape if mode == "block" else [])
    if reasons:
        return deny("swarmops: " + "; ".join(reasons), warning)
    if shape:
        return context("PreToolUse", "swarmops (warning): " + "; ".join(shape), warning)
    return proceed(warning)


def post_tool_use(payload: dict[str, Any], ctx: HookContext) -> Answer:
    """A heartbeat after each tool use: it renews the agent's reservations."""
    del payload
    return _call(ctx, lambda coordinator: coordinator.heartbeat())


def stop(payload: dict[str, Any], ctx: HookContext) -> Answer:
    """The agent finished its turn: its session is idle (not dead) until it works again."""
    del payload
    return _call(ctx, lambda coordinator: coordinator.stop_session())


def _reserved(ctx: HookContext, repository: str, paths: list[str]) -> tuple[list[str], str | None]:
    coordinator, warning = _reach(ctx)
    if coordinator is None:
        return [], warning
    try:
        found = coordinator.conflicts(repository, paths)
    except Unreachable as exc:
        return [], _failing_open(exc)
    return [
        f"{c['path']} is reserved by {c['agent_id']} ({c['pattern']}, {c['mode']}) until "
        f"{c['expires_at']}: leave it to them or ask them to release it"
        for c in found
    ], None


def _shape(ctx: HookContext, root: Path, edits: list[tuple[str, Change]]) -> list[str]:
    if ctx.setting("SWARMOPS_HOOK_COMPLIANCE", "block", MODES) == "off":
        return []
    fail_on = ctx.setting("SWARMOPS_HOOK_FAIL_ON", "major", SEVERITIES)
    lines = []
    for rel, change in edits:
        if change.after is not None:
            for finding in added_findings(root, rel, change.before, change.after, fail_on):
                lines.append(
                    f"{describe(rel, finding)} in {rel}; change the edit to stay within it"
                )
    return lines


def _call(ctx: HookContext, work: Callable[[Coordinator], object]) -> Answer:
    coordinator, warning = _reach(ctx)
    if coordinator is None:
        return proceed(warning)
    try:
        work(coordinator)
    except Unreachable as exc:
        return proceed(_failing_open(exc))
    return proceed()


def _reach(ctx: HookContext) -> tuple[Coordinator | None, str | None]:
    try:
        return ctx.coordinator(), None
    except Unreachable as exc:
        return None, _failing_open(exc)


def _failing_open(exc: Unreachable) -> str:
    return f"swarmops: {exc}; continuing without coordination (failing open)"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
