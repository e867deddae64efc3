"""A file written inside a store transaction: put back as it was if the unit fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def restoring(path: Path) -> Iterator[None]:
    """On any error in the body, restore ``path`` to its content before (or remove it)."""
    before = path.read_bytes() if path.is_file() else None
    try:
        yield
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        raise
