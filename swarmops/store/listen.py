"""Wake-ups across processes: a committed write tells the processes that wait for it.

On PostgreSQL ``notify`` issues ``pg_notify`` inside the unit, so the notification
is delivered when (and only if) the unit commits, to every process listening on
that database; ``Listener`` is one dedicated autocommit connection per process
that ``LISTEN``s and hands each payload to a callback. SQLite has no such thing
across processes: ``notify`` does nothing there and ``start_listener`` returns
None, so the gateway relies on its in-process notifier and a bounded re-check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import sqlalchemy as sa

from swarmops.store.store import Store
from swarmops.store.unit import Unit

INBOX_CHANNEL = "swarmops_inbox"
_NOTIFY = sa.text("SELECT pg_notify(:channel, :payload)")
RECONNECT_S = 1.0


def notify(unit: Unit, channel: str, payload: str) -> None:
    """Tell listeners of ``channel`` about ``payload`` once ``unit`` commits (PostgreSQL)."""
    if unit.dialect == "postgresql":
        unit.execute(_NOTIFY, {"channel": channel, "payload": payload})


class Listener:
    """A thread holding one LISTEN connection; ``on_notify(payload)`` runs on that thread."""

    def __init__(self, conninfo: str, channel: str, on_notify: Callable[[str], None]) -> None:
        self._conninfo, self._channel, self._on_notify = conninfo, channel, on_notify
        self._stopped = threading.Event()
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="swarmops-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stopped.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f'LISTEN "{self._channel}"')
                    self.ready.set()
                    self._drain(connection)
            except psycopg.Error:
                self._stopped.wait(RECONNECT_S)

    def _drain(self, connection: object) -> None:
        while not self._stopped.is_set():
            for note in connection.notifies(timeout=0.5):  # type: ignore[attr-defined]
                self._on_notify(note.payload)


def start_listener(store: Store, channel: str, on_notify: Callable[[str], None]) -> Listener | None:
    """A running listener on ``channel`` of a PostgreSQL store; None on SQLite."""
    url = store.engine.url
    if url.get_backend_name() != "postgresql":
        return None
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return Listener(conninfo, channel, on_notify).start()
