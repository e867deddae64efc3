"""Message bodies are strict JSON (RFC 8259): no NaN or infinities, valid UTF-8 with no
lone surrogate, nested at most ``MAX_DEPTH`` deep, and within the configured size.

``parse_body`` reads a body from text or bytes (the CLI's ``--body``/``--body-file``, the
thin client); ``measure_body`` checks a parsed value, whichever door it came through
(the gateway and MCP parse their own JSON), so every store keeps and every reader gets
a body ``jq`` accepts.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from swarmops.errors import BadInput

MAX_DEPTH = 64


def parse_body(raw: str | bytes, *, source: str = "--body") -> Any:
    """The JSON value of ``raw``, refused (BadInput naming ``source``) unless strict JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source} is not valid UTF-8: {exc.reason} at byte {exc.start}") from exc
    except RecursionError as exc:
        raise BadInput(f"{source} is nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:
        raise BadInput(f"{source} is not JSON: {exc}") from exc
    measure_body(value, source=source)
    return value


def measure_body(value: Any, *, source: str = "message body") -> int:
    """The size in bytes of ``value`` as compact UTF-8 JSON; BadInput if it is not strict JSON."""
    try:
        _check_structure(value)
    except BadInput as exc:
        raise BadInput(f"{source} {exc.message}") from exc
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise BadInput(f"{source} is not valid UTF-8 (a lone surrogate)") from exc
    except (TypeError, ValueError) as exc:
        raise BadInput(f"{source} is not JSON: {exc}") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value (RFC 8259)")


def _check_structure(value: Any) -> None:
    """Depth and numbers, walked without recursion (a deep value must not exhaust the stack)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise BadInput(f"is nested deeper than {MAX_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, float) and not math.isfinite(item):
            raise BadInput(f"holds {item}, which is not a JSON number (RFC 8259)")


def read_body(path: str, limit: int) -> Any:
    """The body in file ``path`` (``-``: standard input), read as bytes and parsed strictly.

    The file may be pretty-printed; more than four times the limit is refused unread."""
    cap = 4 * limit
    try:
        raw = sys.stdin.buffer.read(cap + 1) if path == "-" else _read_file(Path(path), cap)
    except OSError as exc:
        raise BadInput(f"--body-file {path}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > cap:
        raise BadInput(f"--body-file {path}: more than {cap} bytes; the body limit is {limit}")
    return parse_body(raw, source=f"--body-file {path}")


def _read_file(path: Path, cap: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(cap + 1)
