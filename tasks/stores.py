"""One open store per URL per process, so tasks take a URL and never a live connection.

A task receives plain values (settings, a store URL, paths): any Prefect task runner
can ship those to a thread, a process or another host. Each process opens a store
the first time a task asks for its URL and reuses it after; the engines are
disposed when the process exits.
"""

from __future__ import annotations

import atexit
import threading

from swarmops.store import Store, open_store

_OPEN: dict[str, Store] = {}
_LOCK = threading.Lock()


def store_for(url: str) -> Store:
    """This process's store for ``url``, opened (never migrated) on first use. The flows
    may find no store yet: the pipeline's deployment stage is what creates it."""
    with _LOCK:
        store = _OPEN.get(url)
        if store is None:
            store = _OPEN[url] = open_store(url, migrate=False, create=True)
        return store


def close_all() -> None:
    """Dispose every store this process opened (also run at exit)."""
    with _LOCK:
        while _OPEN:
            _OPEN.popitem()[1].dispose()


atexit.register(close_all)
