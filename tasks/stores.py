"""One open store per process and URL, so tasks take a URL (a value any task runner can
ship to a worker process) and still reuse their engine and its connections."""

from __future__ import annotations

from functools import cache

from swarmops.store import Store, open_store


@cache
def store_for(url: str) -> Store:
    """The store at ``url``, opened (and migrated) on first use in this process."""
    return open_store(url)
