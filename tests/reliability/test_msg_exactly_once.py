"""Exactly-once processing: 4 consumer processes drain 5,000 messages and ack each once;
one consumer is SIGKILLed while it holds leases, and its messages are delivered again
after the lease runs out — on SQLite and on PostgreSQL.

Run as a script, this module is one consumer:
``python test_msg_exactly_once.py URL OUT_FILE LEASE_S [--hang-after N]``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.coordination import SendRequest, ack_many, recv, send
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit, open_store
from swarmops.store.schema import messages
from swarmops.testing import seed_agent

MESSAGES = 5000
CONSUMERS = 4
BATCH = 25
VICTIM_LEASE_S = 5.0
VICTIM_ACKS = 10


def consume(store: Store, out: Path, lease_s: float, hang_after: int | None) -> None:
    """Claim in batches and ack each batch (one transaction), writing each id acked; stop
    when no message is open. A lease lost to another consumer is not written.

    With ``hang_after``, ack that many of the first batch, then hold the rest until killed.
    """
    with out.open("a", encoding="utf-8") as sink:
        while True:
            batch = in_unit(store, recv, "worker", max_messages=BATCH, lease_s=lease_s)
            if not batch and _open(store) == 0:
                return
            done = in_unit(store, ack_many, [(m.id, m.lease_token) for m in batch[:hang_after]])
            sink.writelines(f"{message_id}\n" for message_id in done.acked)
            sink.flush()
            if hang_after is not None:
                out.with_suffix(".holding").write_text(str(len(batch)), encoding="utf-8")
                time.sleep(600)
            if not batch:
                time.sleep(0.05)


def _open(store: Store) -> int:
    query = sa.select(sa.func.count()).where(messages.c.status.in_(["pending", "leased"]))
    with store.unit(read_only=True) as conn:
        return int(conn.scalar(query) or 0)


def _fill(url: str) -> list[int]:
    store = open_store(url, create=True)
    seed_agent(store, "worker", "worker")
    policy = CoordinationSettings(max_attempts=5)
    ids: list[int] = []
    with store.unit() as conn:
        for n in range(MESSAGES):
            request = SendRequest(sender="producer", to="worker", body={"n": n}, priority=n % 3)
            ids += send(conn, request, policy).ids
    store.dispose()
    return ids


def _spawn(url: str, out: Path, lease_s: float, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, url, str(out), str(lease_s), *extra]
    return subprocess.Popen(command, stderr=subprocess.PIPE)


@pytest.mark.heavy
def test_four_consumers_ack_each_message_exactly_once_despite_a_sigkill(
    store_url: str, tmp_path: Path
) -> None:
    ids = _fill(store_url)
    victim_out = tmp_path / "victim.txt"
    victim = _spawn(store_url, victim_out, VICTIM_LEASE_S, "--hang-after", str(VICTIM_ACKS))
    holding = victim_out.with_suffix(".holding")
    deadline = time.monotonic() + 60
    while not holding.exists() and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert holding.exists(), victim.stderr.read() if victim.stderr else ""
    # The victim holds its leases before the others start, so a slow start cannot leave it
    # nothing to hold; it dies while the others drain.
    workers = [_spawn(store_url, tmp_path / f"w{n}.txt", 30.0) for n in range(CONSUMERS - 1)]
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate()
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    acked = Counter(int(line) for out in tmp_path.glob("*.txt") for line in out.read_text().split())
    assert sorted(acked) == sorted(ids), f"{len(set(ids) - set(acked))} never acked"
    assert set(acked.values()) == {1}, [i for i, n in acked.items() if n > 1][:10]
    _assert_stranded_leases_were_redelivered(store_url, victim_out)


def _assert_stranded_leases_were_redelivered(url: str, victim_out: Path) -> None:
    done = {int(line) for line in victim_out.read_text().split()}
    store = open_store(url)
    with store.unit(read_only=True) as conn:
        rows = conn.execute(sa.select(messages.c.id, messages.c.status, messages.c.attempts))
        states = {row.id: (row.status, row.attempts) for row in rows}
    store.dispose()
    assert {status for status, _ in states.values()} == {"acked"}
    redelivered = {i for i, (_, attempts) in states.items() if attempts >= 2}
    held = int(victim_out.with_suffix(".holding").read_text())
    stranded = held - len(done)  # the victim's own acks may lose a lease on a slow machine
    assert len(done) <= VICTIM_ACKS < held and len(redelivered) >= stranded > 0
    assert not done & redelivered


if __name__ == "__main__":
    url, out, lease = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    hang = int(sys.argv[5]) if "--hang-after" in sys.argv else None
    consume(open_store(url), out, lease, hang)
