"""Which repository a working folder belongs to, and a file's path inside it.

Light on purpose (the edit hooks import it on every tool call): it reads the git
files itself instead of running git. The repository's name is, first match wins:
``SWARMOPS_REPOSITORY``; the ``origin`` remote URL in the repository's config
(shared by all its worktrees, so agents in two worktrees of one repository see each
other's reservations), without a scheme, user or ``.git``; the name of the folder
holding the main worktree's ``.git`` (again the same for every worktree).
"""

from __future__ import annotations

import configparser
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_ENV = "SWARMOPS_REPOSITORY"
_URL = re.compile(r"^(?:[a-z+]+://)?(?:[^@/]+@)?")


@dataclass(frozen=True)
class Repository:
    """A repository's name (the key of its reservations) and its top folder on disk."""

    name: str
    root: Path

    def relative(self, path: str | Path) -> str | None:
        """``path`` (absolute, or relative to the top folder) as a '/'-separated path
        inside the repository; None when it lies outside it."""
        target = Path(path)
        if not target.is_absolute():
            target = self.root / target
        try:
            inside = Path(os.path.normpath(target)).relative_to(self.root)
        except ValueError:
            return None
        text = inside.as_posix()
        return None if text in ("", ".") else text


def find_repository(start: str | Path) -> Repository | None:
    """The repository holding ``start`` (a folder), or None outside any."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        marker = folder / ".git"
        if marker.exists():
            root = folder.resolve()
            return Repository(os.environ.get(REPOSITORY_ENV) or _name(marker, root), root)
    return None


def _name(marker: Path, root: Path) -> str:
    common = _common_dir(marker)
    url = _origin(common)
    if url:
        cleaned = _URL.sub("", url.strip()).removesuffix(".git").replace(":", "/", 1)
        return cleaned.rstrip("/") or root.name
    return common.parent.name if common.name == ".git" else root.name


def _common_dir(marker: Path) -> Path:
    """The git folder whose config the repository's worktrees share."""
    if marker.is_dir():
        return marker
    text = marker.read_text(encoding="utf-8", errors="replace").strip()
    gitdir = Path(text.removeprefix("gitdir:").strip())
    gitdir = gitdir if gitdir.is_absolute() else (marker.parent / gitdir)
    common = gitdir / "commondir"
    if common.is_file():
        return (gitdir / common.read_text(encoding="utf-8").strip()).resolve()
    return gitdir


def _origin(git_dir: Path) -> str | None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(git_dir / "config", encoding="utf-8")
    except configparser.Error:
        return None
    return parser.get('remote "origin"', "url", fallback=None)
