"""``swarmops hook EVENT``: read the payload, run its handler, print the answer.

The fast path: ``swarmops.cli.main`` sends ``hook`` here before Typer loads, so a
hook's process imports only this package (and ``swarmops.compliance.measure``).
A payload that is not JSON is one line on stderr and exit 1, which Claude Code and
Codex treat as a non-blocking error: exit 2 would block the agent's tool call.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from swarmops.hooks import events
from swarmops.hooks.client import Coordinator, from_environment
from swarmops.hooks.protocol import Answer, PayloadError, read_payload

HANDLERS: dict[str, Callable[[dict[str, Any], events.HookContext], Answer]] = {
    "session-start": events.session_start,
    "pre-tool-use": events.pre_tool_use,
    "post-tool-use": events.post_tool_use,
    "stop": events.stop,
}
TOOLS = ("claude-code", "codex")
USAGE = "usage: swarmops hook session-start|pre-tool-use|post-tool-use|stop|pre-commit [--tool claude-code|codex]"


def run(args: list[str], stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Run one hook; the exit code is the protocol's."""
    event, tool = _parse(args)
    if event == "pre-commit":
        from swarmops.hooks.precommit import guard

        return guard(dict(os.environ))
    if event not in HANDLERS or tool not in TOOLS:
        sys.stderr.write(USAGE + "\n")
        return 2
    try:
        payload = read_payload(stdin.read())
    except PayloadError as exc:
        sys.stderr.write(f"swarmops: {exc}\n")
        return 1
    env = dict(os.environ)
    made: list[Coordinator] = []

    def coordinator() -> Coordinator | None:
        found = from_environment(env)
        made.extend([found] if found else [])
        return found

    try:
        answer = HANDLERS[event](payload, events.HookContext(env, coordinator, tool))
    finally:
        for one in made:
            one.close()
    stdout.write(answer.render())
    return answer.code


def _parse(args: list[str]) -> tuple[str, str]:
    event = args[0] if args else ""
    tool = "claude-code"
    if "--tool" in args[1:]:
        at = args.index("--tool", 1)
        tool = args[at + 1] if at + 1 < len(args) else ""
    return event, tool
