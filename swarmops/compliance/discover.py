"""Which files a scan reads: honours nested .gitignore files and the configured
excludes, and never follows a symlink out of its root.

Only regular files are candidates. FIFOs, sockets and devices (and symlinks to them),
dangling symlinks and symlink loops are skipped: they hold no source, and opening a
FIFO would block the scan forever. A root named on the command line must be a regular
file or a folder.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from swarmops.compliance.fileio import read_regular
from swarmops.compliance.rules import RuleSet
from swarmops.errors import BadInput

# (path relative to the root with '/' separators, absolute path, size, mtime_ns)
Candidate = tuple[str, str, int, int]
GITIGNORE_BYTES = 1_000_000


@dataclass
class _Walk:
    """State of one root's walk: its real path, rule specs and the folders seen."""

    root: str
    exclude: pathspec.PathSpec
    include: pathspec.PathSpec
    seen: set[str] = field(default_factory=set)
    out: list[Candidate] = field(default_factory=list)


def discover(root: Path, rules: RuleSet) -> list[Candidate]:
    """Every file to scan under ``root``, sorted by relative path.

    A root that is a file is scanned as itself, named as in ``file_root_name``.
    """
    real = os.path.realpath(root)
    if os.path.isfile(real):
        info = os.stat(real)
        return [(file_root_name(root), real, info.st_size, info.st_mtime_ns)]
    if not os.path.isdir(real):
        raise BadInput(f"not a regular file or folder: {root}")
    walk = _Walk(
        root=real,
        exclude=pathspec.GitIgnoreSpec.from_lines(rules.exclude),
        include=pathspec.GitIgnoreSpec.from_lines(rules.include),
    )
    _visit(walk, real, "", [])
    walk.out.sort()
    return walk.out


def file_root_name(path: Path) -> str:
    """A file given as a root: its path relative to the working directory when inside it
    (so findings match a baseline taken of the whole tree), else its name."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.name


def _visit(
    walk: _Walk, folder: str, prefix: str, ignores: list[tuple[str, pathspec.PathSpec]]
) -> None:
    walk.seen.add(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    if any(entry.name == ".gitignore" for entry in entries):
        ignores = [*ignores, (prefix, _gitignore(os.path.join(folder, ".gitignore")))]
    for entry in entries:
        _consider(walk, entry, prefix + entry.name, ignores)


def _consider(walk: _Walk, entry: os.DirEntry, rel: str, ignores: list) -> None:
    target = entry.path
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        if os.path.commonpath([walk.root, target]) != walk.root:
            return
    try:
        info = entry.stat()  # through a symlink: what it points at
    except OSError:
        return  # a dangling symlink, a loop, or gone since the folder was listed
    if stat.S_ISDIR(info.st_mode):
        if target not in walk.seen and not _ignored(walk, rel + "/", ignores):
            _visit(walk, target, rel + "/", ignores)
    elif (
        stat.S_ISREG(info.st_mode)
        and walk.include.match_file(rel)
        and not _ignored(walk, rel, ignores)
    ):
        walk.out.append((rel, entry.path, info.st_size, info.st_mtime_ns))


def _ignored(walk: _Walk, rel: str, ignores: list[tuple[str, pathspec.PathSpec]]) -> bool:
    """Excluded by the rules, or by the deepest .gitignore with a say about it."""
    if walk.exclude.match_file(rel):
        return True
    for prefix, spec in reversed(ignores):
        result = spec.check_file(rel[len(prefix) :])
        if result.include is not None:
            return result.include
    return False


def _gitignore(path: str) -> pathspec.PathSpec:
    """A folder's .gitignore (a FIFO or an unreadable one ignores nothing)."""
    try:
        data, _ = read_regular(path, GITIGNORE_BYTES)
    except OSError:
        data = b""
    lines = data.decode("utf-8", errors="replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)
