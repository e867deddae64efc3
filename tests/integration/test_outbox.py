"""The transactional outbox on SQLite and PostgreSQL: an alert and its event commit
together, the drain publishes each committed event once per successful drain, a failed
publication waits for the next drain, and a process killed between an alert's commit
and its publication loses nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from swarmops.outbox import AlertSpec, drain, pending_count, raise_alert, resolve_alerts
from swarmops.store import Store
from swarmops.store.schema import alerts, outbox
from swarmops.testing import RecordingPublisher

OFFLINE = AlertSpec(
    kind="agent.offline",
    resource_kind="agent",
    resource_id="a1",
    severity="warning",
    message="agent a1 stopped heartbeating",
    payload={"silent_s": 400},
)


def _rows(store: Store, table: sa.Table) -> list[dict[str, object]]:
    with store.unit(read_only=True) as unit:
        return [dict(row) for row in unit.execute(sa.select(table).order_by(table.c.id)).mappings()]


def test_an_alert_and_its_event_commit_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError), store.unit() as unit:
        raise_alert(unit, OFFLINE)
        raise RuntimeError("the cause's own write failed later in the unit")
    assert (_rows(store, alerts), _rows(store, outbox)) == ([], [])
    with store.unit() as unit:
        alert_id = raise_alert(unit, OFFLINE)
        assert raise_alert(unit, OFFLINE) is None  # one open alert per kind and resource
    [row] = _rows(store, outbox)
    assert (row["alert_id"], row["event"], row["published_at"]) == (
        alert_id,
        "swarmops.agent.offline",
        None,
    )
    assert row["payload"] == {"severity": "warning", "alert_id": alert_id, "silent_s": 400}


def test_drain_publishes_once_and_marks_the_alert_notified(store: Store) -> None:
    with store.unit() as unit:
        alert_id = raise_alert(unit, OFFLINE)
    sink = RecordingPublisher()
    report = drain(store, [sink])
    assert (report.published, report.failed) == (1, 0)
    assert [e.alert_id for e in sink.events] == [alert_id]
    assert drain(store, [sink]).published == 0 and len(sink.events) == 1
    [alert] = _rows(store, alerts)
    assert alert["notified_at"] == store.now()
    with store.unit() as unit:
        assert resolve_alerts(unit, "agent.offline", ["a1"]) == ["a1"]
        assert raise_alert(unit, OFFLINE) is not None  # a new episode is a new alert
    assert pending_count(store) == 1


def test_a_failed_publication_waits_for_the_next_drain(store: Store) -> None:
    with store.unit() as unit:
        raise_alert(unit, OFFLINE)
    report = drain(store, [RecordingPublisher(fail="prefect api down")])
    assert (report.published, report.failed) == (0, 1)
    assert "prefect api down" in report.errors[0]
    [row] = _rows(store, outbox)
    assert (row["attempts"], row["last_error"], row["published_at"]) == (
        1,
        "prefect api down",
        None,
    )
    sink = RecordingPublisher()
    assert drain(store, [sink]).published == 1
    assert sink.events[0].event_id == row["event_id"] and sink.events[0].attempts == 1


def _drain_once_unlocked(store: Store, sink: RecordingPublisher) -> int:
    """Drain until the killed drainer's row lock is gone (PostgreSQL ends the dead client's
    backend a moment after the kill; until then SKIP LOCKED passes the row over)."""
    deadline = time.monotonic() + 30
    while True:
        published = drain(store, [sink]).published
        if published or time.monotonic() > deadline:
            return published
        time.sleep(0.05)


KILLED_DRAIN = """
import sys, time
from swarmops.outbox import AlertSpec, drain, raise_alert
from swarmops.store import open_store

class Stuck:
    def publish(self, event):
        print("sending", flush=True)
        time.sleep(120)

store = open_store(sys.argv[1], create=True)
with store.unit() as unit:
    raise_alert(unit, AlertSpec(kind="agent.offline", resource_kind="agent", resource_id="a1",
                                severity="warning", message="agent a1 stopped heartbeating"))
print("committed", flush=True)
drain(store, [Stuck()])
"""


@pytest.mark.slow
def test_a_process_killed_between_commit_and_publication_loses_nothing(
    store: Store, store_url: str
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_DRAIN, store_url], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert [child.stdout.readline().strip() for _ in range(2)] == ["committed", "sending"]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    sink = RecordingPublisher()
    assert _drain_once_unlocked(store, sink) == 1
    [row] = _rows(store, outbox)
    assert [e.event_id for e in sink.events] == [row["event_id"]]
    assert row["published_at"] is not None and len(_rows(store, alerts)) == 1
    assert drain(store, [sink]).published == 0
