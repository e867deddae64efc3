"""``swarmops serve``'s outbox pump sends what other processes committed, every few
seconds, and keeps running when a publication fails."""

from __future__ import annotations

import time

import sqlalchemy as sa

from deployments.outbox_pump import OutboxPump
from swarmops.outbox import AlertSpec, pending_count, raise_alert
from swarmops.settings import load_settings
from swarmops.store import Store
from swarmops.store.schema import outbox
from swarmops.testing import RecordingPublisher


def offline(agent_id: str) -> AlertSpec:
    return AlertSpec(
        kind="agent.offline",
        resource_kind="agent",
        resource_id=agent_id,
        severity="warning",
        message=f"agent {agent_id} stopped heartbeating",
    )


def wait_until_sent(store: Store, timeout_s: float = 30) -> int:
    deadline = time.monotonic() + timeout_s
    while pending_count(store) and time.monotonic() < deadline:
        time.sleep(0.05)
    return pending_count(store)


def wait_for_attempts(store: Store, wanted: int, timeout_s: float = 30) -> int:
    """The outbox row's attempts, once it reaches ``wanted`` (or the bounded wait ends)."""
    deadline = time.monotonic() + timeout_s
    while True:
        with store.unit(read_only=True) as unit:
            attempts = int(unit.scalar(sa.select(sa.func.max(outbox.c.attempts))) or 0)
        if attempts >= wanted or time.monotonic() > deadline:
            return attempts
        time.sleep(0.05)


def test_the_pump_sends_what_was_committed_elsewhere(store: Store, store_url: str) -> None:
    sink = RecordingPublisher()
    pump = OutboxPump(load_settings(None, store_url=store_url, environ={}), 0.05, [sink])
    pump.start()
    try:
        with store.unit() as unit:
            raise_alert(unit, offline("a1"))
        assert wait_until_sent(store) == 0
        with store.unit() as unit:
            raise_alert(unit, offline("a2"))
        assert wait_until_sent(store) == 0
    finally:
        pump.stop()
    assert [e.resource_id for e in sink.events] == ["a1", "a2"] and not pump.is_alive()


def test_a_failing_target_leaves_the_rows_and_the_pump_running(
    store: Store, store_url: str
) -> None:
    refusing = RecordingPublisher(fail="prefect api down")
    pump = OutboxPump(load_settings(None, store_url=store_url, environ={}), 0.05, [refusing])
    with store.unit() as unit:
        raise_alert(unit, offline("a1"))
    pump.start()
    assert wait_for_attempts(store, 2) >= 2  # refused twice: the pump kept going
    assert pump.is_alive() and pending_count(store) == 1
    refusing.fail = None
    assert wait_until_sent(store) == 0
    pump.stop()
