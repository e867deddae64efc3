"""Claude Code's hook protocol (Codex speaks the same envelope), as this package answers it.

- Input: one JSON object on stdin; every event has ``session_id``, ``cwd`` and
  ``hook_event_name``; tool events add ``tool_name`` and ``tool_input`` (PostToolUse
  also ``tool_response``), SessionStart adds ``source``, Stop ``stop_hook_active``.
- Exit 0: success; stdout, when it is JSON, is read for the fields below.
  Exit 2: a blocking error (stderr goes to the model); any other code is a
  non-blocking error. We never exit 2 for our own failures: a broken or unreachable
  swarmops must not block the agent (fail open), so those exit 0 with a warning.
- PreToolUse denies with exit 0 and ``hookSpecificOutput = {hookEventName:
  "PreToolUse", permissionDecision: "deny", permissionDecisionReason: …}`` (the
  reason is shown to the model, which can fix its edit). It never answers "allow":
  that would skip the user's own permission prompts.
- SessionStart and PostToolUse add context for the model with
  ``hookSpecificOutput.additionalContext``; ``systemMessage`` is a warning shown to
  the user; Stop answers nothing (``decision: "block"`` would keep the agent going).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class PayloadError(ValueError):
    """The hook's stdin is not the JSON object the tool's protocol promises."""


@dataclass(frozen=True)
class Answer:
    """What a hook prints (``output`` as one JSON document) and its exit code."""

    output: dict[str, Any] = field(default_factory=dict)
    code: int = 0

    def render(self) -> str:
        return json.dumps(self.output, allow_nan=False) + "\n" if self.output else ""


def read_payload(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"hook payload is not JSON: {exc.msg} at {exc.pos}") from exc
    if not isinstance(payload, dict):
        raise PayloadError("hook payload is not a JSON object")
    return payload


def deny(reason: str, warning: str | None = None) -> Answer:
    specific = {
        "hookEventName": "PreToolUse",
        "permissionDecision": "deny",
        "permissionDecisionReason": reason,
    }
    return _with_warning({"hookSpecificOutput": specific}, warning)


def context(event: str, text: str | None, warning: str | None = None) -> Answer:
    """Context for the model (SessionStart, PreToolUse, PostToolUse) and/or a warning."""
    output: dict[str, Any] = {}
    if text:
        output["hookSpecificOutput"] = {"hookEventName": event, "additionalContext": text}
    return _with_warning(output, warning)


def proceed(warning: str | None = None) -> Answer:
    """Nothing to say (the tool's own permission flow decides), or only a warning."""
    return _with_warning({}, warning)


def _with_warning(output: dict[str, Any], warning: str | None) -> Answer:
    if warning:
        output = {**output, "systemMessage": warning}
    return Answer(output=output)
