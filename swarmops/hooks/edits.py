"""What an edit tool call would leave in each file it touches, computed without writing.

Claude Code's file tools: ``Write`` (``file_path``, ``content``), ``Edit``
(``file_path``, ``old_string``, ``new_string``, ``replace_all``) and ``MultiEdit``
(``file_path``, ``edits``: a list of the same three, applied in order). An edit
the tool itself would refuse (its ``old_string`` missing, or not unique without
``replace_all``) has no resulting content: the tool fails on its own, so there is
nothing for the gate to judge. Codex's ``apply_patch`` carries its patch in
``tool_input.command``; its file headers name the paths (for the reservation
check), and an added file's ``+`` lines are its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

EDIT_TOOLS = ("Write", "Edit", "MultiEdit")
PATCH_TOOLS = ("apply_patch",)
_HEADERS = ("*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: ")


@dataclass(frozen=True)
class Change:
    """One file a tool call would change: its path as given, the text before (None for
    a new file) and after (None when it cannot be known)."""

    path: str
    before: str | None
    after: str | None


def changes(tool: str, tool_input: dict[str, Any], cwd: str) -> list[Change]:
    """The files ``tool`` would change; empty for a tool that edits no file."""
    if tool in PATCH_TOOLS:
        return _patch_changes(str(tool_input.get("command") or tool_input.get("patch") or ""))
    if tool not in EDIT_TOOLS or not isinstance(tool_input.get("file_path"), str):
        return []
    path = tool_input["file_path"]
    before = _read(Path(cwd, path))
    if tool == "Write":
        content = tool_input.get("content")
        return [Change(path, before, content if isinstance(content, str) else None)]
    edits = tool_input.get("edits") if tool == "MultiEdit" else [tool_input]
    return [Change(path, before, apply_edits(before, edits if isinstance(edits, list) else []))]


def apply_edits(text: str | None, edits: list[Any]) -> str | None:
    """Apply Edit-shaped edits in order, as the tool would; None if one would fail."""
    for edit in edits:
        if not isinstance(edit, dict):
            return None
        old, new = edit.get("old_string"), edit.get("new_string")
        if not isinstance(old, str) or not isinstance(new, str):
            return None
        if text is None:  # a new file: only an edit from nothing creates it
            if old:
                return None
            text = new
            continue
        found = text.count(old) if old else 0
        if found == 0 or (found > 1 and not edit.get("replace_all")):
            return None
        text = text.replace(old, new) if edit.get("replace_all") else text.replace(old, new, 1)
    return text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return None


def _patch_changes(patch: str) -> list[Change]:
    found: list[Change] = []
    added: list[str] | None = None
    for line in patch.splitlines():
        header = next((h for h in _HEADERS if line.startswith(h)), None)
        if header is not None:
            path = line[len(header) :].strip()
            added = [] if header.startswith("*** Add") else None
            found.append(Change(path, None, "" if added is not None else None))
        elif added is not None and line.startswith("+"):
            added.append(line[1:])
            found[-1] = Change(found[-1].path, None, "\n".join(added) + "\n")
    return found
