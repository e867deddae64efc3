"""Eight processes reserving overlapping globs of one repository at once: one winner per
path, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from swarmops.reservations import covers
from swarmops.store import Store
from swarmops.store.schema import reservations
from swarmops.testing import seed_agent

WORKERS = 8
PATHS = ("src/a.py", "src/b.py", "lib/c.py", "docs/d.md")

# Each round is a race in a fresh repository: at the round's start time every worker asks
# for every path once, in its own order and its own spelling of it (the path, ./path,
# upper case, its folder, a glob of its folder). It reports the rounds it started late.
WORKER = """
import json, random, sys, time
from swarmops.reservations import ReserveRequest, reserve
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store

url, agent, start, *paths = sys.argv[1:]
ROUNDS, SLOT = 8, 0.5
store, rng = open_store(url, migrate=False), random.Random(agent)
def spell(path):
    folder, name = path.rsplit("/", 1)
    return rng.choice([path, "./" + path, path.upper(), folder + "/", folder + "/*." + name.split(".")[1]])
won, late = [], 0
for round in range(ROUNDS):
    asks = [spell(p) for p in rng.sample(paths, len(paths))]
    wait = float(start) + round * SLOT - time.time()
    late += wait < 0
    time.sleep(max(0.0, wait))
    for pattern in asks:
        request = ReserveRequest(agent_id=agent, repository=f"race-{round}", patterns=[pattern])
        result = in_unit(store, reserve, request, CoordinationSettings())
        won += [[r.repository, r.agent_id, r.pattern] for r in result.reservations]
print(json.dumps({"won": won, "late": late}))
"""


@pytest.mark.heavy
def test_one_winner_per_path(store: Store, store_url: str) -> None:
    agents = [f"w{n}" for n in range(WORKERS)]
    for agent in agents:
        seed_agent(store, agent, "dev")
    start = str(time.time() + 6.0)  # every worker imports first, then all ask together
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, store_url, agent, start, *PATHS],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for agent in agents
    ]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    with store.unit(read_only=True) as unit:
        rows = unit.execute(sa.select(reservations)).all()
    granted = {tuple(one) for report in reports for one in report["won"]}
    assert granted == {(r.repository, r.agent_id, r.pattern) for r in rows}
    for repository in {row.repository for row in rows}:
        for path in PATHS:
            holders = {
                r.agent_id for r in rows if r.repository == repository and covers(r.pattern, path)
            }
            assert len(holders) == 1, (repository, path)
    assert sum(report["late"] for report in reports) < WORKERS * 8 // 2  # mostly raced
