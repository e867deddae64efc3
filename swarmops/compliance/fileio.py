"""How the scanner touches files: it reads only regular files, and writes atomically.

Reading: a file is opened without blocking (a FIFO or a device named ``x.py`` would
otherwise hang the scan) and measured only when ``fstat`` says it is a regular file.

Writing (reports, baselines, the cache): a temporary file next to the target, created
with mode 0666 less the umask (0644 as a rule, like any file a program writes), then
renamed over the target, so a failed or interrupted write leaves the old file or none,
never half of one. No folder is created: a missing one is the caller's mistake.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from swarmops.errors import BadInput

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The path is a FIFO, a socket, a device or a folder, not a regular file."""


def read_regular(path: str, cap: int) -> tuple[bytes, int]:
    """At most ``cap + 1`` bytes of a regular file, and its size; never blocks on others."""
    fd = os.open(path, _READ_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile("not a regular file")
        return handle.read(cap + 1), info.st_size


def check_target(path: Path) -> Path:
    """The real file ``path`` names for writing; BadInput unless its folder exists and it
    is (or will be) a regular file."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise BadInput(f"cannot write {path}: it is a folder")
    if not target.parent.is_dir():
        raise BadInput(f"cannot write {path}: no such folder {path.parent}")
    if target.exists() and not target.is_file():
        raise BadInput(f"cannot write {path}: not a regular file")
    return target


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` (through symlinks) with ``text`` in one rename; see the module."""
    target = check_target(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temporary, _CREATE_FLAGS, 0o666)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from exc
