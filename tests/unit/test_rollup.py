"""Rollups as pure functions of frames, with explicit ``now``; alerts on a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from swarmops.contracts import ContractSpec, apply_contracts, read_frames, record_progress
from swarmops.contracts.alerts import sync_alerts
from swarmops.contracts.rollup import CONTRACT_COLUMNS, RollupFrames
from swarmops.contracts.summary import rollup
from swarmops.settings import ProgressSettings
from swarmops.store import Store, in_unit
from swarmops.store.schema import outbox
from swarmops.testing import FrozenClock, seed_owners

NOW = datetime(2026, 1, 10, 12, tzinfo=UTC)
SETTINGS = ProgressSettings(stall_after_h=24, velocity_window_d=7)


def day(offset: float) -> pd.Timestamp:
    return pd.Timestamp(NOW + timedelta(days=offset))


CONTRACT_ROWS = [  # id, owner, status, due, created, status_at
    ("D", "a1", "DONE", day(5), day(-9), day(-1)),
    ("O", "a1", "IN_PROGRESS", day(-1), day(-9), day(-8)),
    ("S", "a2", "IN_PROGRESS", day(30), day(-9), day(-8)),
    ("B", "a2", "IN_PROGRESS", day(2), day(-7), day(-6)),
    ("T", "a3", "IN_PROGRESS", day(10), day(-2), day(-1.5)),
    ("N", None, "OPEN", day(20), day(-1), day(-1)),
    ("X", "a3", "CANCELLED", day(3), day(-9), day(-1)),
]
EVENT_ROWS = [  # contract, agent, percent, at
    ("D", "a1", 50.0, day(-8)),
    ("O", "a1", 50.0, day(-8)),
    ("S", "a2", 30.0, day(-3)),
    ("D", "a1", 100.0, day(-2)),
    ("B", "a2", 10.0, day(-1)),
    ("T", "a3", 40.0, day(-1)),
    ("B", "a2", 20.0, day(-0.1)),
    ("T", "a3", 60.0, day(-0.1)),
    ("X", "a3", 90.0, day(-0.1)),
]


def frames() -> RollupFrames:
    columns = ["id", "owner", "status", "due", "created_at", "status_at"]
    contracts = pd.DataFrame(CONTRACT_ROWS, columns=columns)
    contracts["title"] = contracts["id"] + " title"
    tasks = pd.DataFrame(
        [("T", "t1", 1.0, day(-1)), ("T", "t2", 1.0, pd.NaT)],
        columns=["contract_id", "task_id", "weight", "done_at"],
    )
    events = pd.DataFrame(EVENT_ROWS, columns=["contract_id", "agent_id", "percent", "at"])
    return RollupFrames(contracts=contracts, events=events, tasks=tasks)


def test_each_contract_gets_its_track() -> None:
    result = rollup(frames(), NOW, SETTINGS)
    table = result.contracts.set_index("id")
    assert list(result.contracts.columns) == CONTRACT_COLUMNS
    assert table["track"].to_dict() == {
        "D": "done",
        "O": "overdue",
        "S": "stalled",
        "B": "behind",
        "T": "on_track",
        "N": "on_track",
    }
    assert table.loc["T", "velocity_pct_per_day"] == 30.0  # 60 points over the 2 days it exists
    assert table.loc["T", "eta"] == day(40 / 30)
    assert (table.loc["T", "tasks_done"], table.loc["T", "tasks_total"]) == (1, 2)
    assert table.loc["B", "velocity_pct_per_day"] == pytest.approx(20 / 7, abs=1e-4)
    assert pd.isna(table.loc["N", "eta"]) and pd.isna(table.loc["N", "last_update"])


def test_behind_compares_velocities_not_the_calendar() -> None:
    data = frames()
    data.contracts.loc[data.contracts["id"] == "B", "due"] = day(60)  # 80 points in 60 days
    table = rollup(data, NOW, SETTINGS).contracts.set_index("id")
    assert table.loc["B", "track"] == "on_track"


def test_agents_and_swarm() -> None:
    result = rollup(frames(), NOW, SETTINGS)
    agents = result.agents.set_index("id")
    assert agents.loc["a1", ["active", "completed"]].tolist() == [1, 1]
    assert agents.loc["a3", "throughput_pct_per_day"] == pytest.approx(60 / 7, abs=1e-4)
    swarm = result.swarm
    assert swarm["contracts"] == 6
    assert swarm["tracks"] == {"done": 1, "overdue": 1, "stalled": 1, "behind": 1, "on_track": 2}
    assert swarm["completion"] == pytest.approx((100 + 50 + 30 + 20 + 60) / 6, abs=1e-3)
    burndown = swarm["burndown"]
    assert burndown[0]["date"] == "2026-01-02" and burndown[-1]["date"] == "2026-01-10"
    assert burndown[-1]["remaining"] == pytest.approx(6 - 2.6)
    payload = result.to_json()
    assert set(payload) == {"contracts", "agents", "swarm"}
    assert set(payload["contracts"][0]) == set(CONTRACT_COLUMNS)
    assert payload["contracts"][0]["last_update"].startswith("2026-01-08")


def test_an_empty_store_rolls_up_to_nothing() -> None:
    data = frames()
    empty = RollupFrames(data.contracts.iloc[:0], data.events.iloc[:0], data.tasks.iloc[:0])
    result = rollup(empty, NOW, SETTINGS)
    assert result.contracts.empty and result.swarm["burndown"] == []


def test_alerts_raise_once_and_resolve(store: Store, clock: FrozenClock) -> None:
    spec = ContractSpec(id="C-1", title="t", owner="agent-1", due=clock.now() + timedelta(days=30))
    seed_owners(store, [spec])
    with store.unit() as unit:
        apply_contracts(unit, [spec])
    in_unit(store, record_progress, "C-1", "agent-1", percent=10)

    def tracks() -> list[tuple[str, str]]:
        table = rollup(read_frames(store), store.now(), SETTINGS).contracts
        return list(zip(table["id"], table["track"], strict=True))

    assert in_unit(store, sync_alerts, tracks()).raised == ()
    clock.advance(hours=25)
    raised = in_unit(store, sync_alerts, tracks())
    assert [(a.kind, a.contract_id) for a in raised.raised] == [("contract.stalled", "C-1")]
    with store.unit(read_only=True) as unit:  # raised through the outbox, announced once
        events = unit.execute(sa.select(outbox.c.event, outbox.c.resource_id)).all()
    assert [tuple(e) for e in events] == [("swarmops.contract.stalled", "C-1")]
    assert in_unit(store, sync_alerts, tracks()) == type(raised)()  # no repeat while open
    in_unit(store, record_progress, "C-1", "agent-1", percent=90)
    cleared = in_unit(store, sync_alerts, tracks())
    assert [a.kind for a in cleared.resolved] == ["contract.stalled"] and cleared.raised == ()
    clock.advance(days=31)
    assert [a.kind for a in in_unit(store, sync_alerts, tracks()).raised] == ["contract.overdue"]


def test_each_track_from_a_real_store(store: Store, clock: FrozenClock) -> None:
    start = clock.now()
    dues = {"D": 30, "O": 1, "S": 30, "B": 3, "T": 30}
    specs = [
        ContractSpec(id=cid, title=cid, owner=f"agent-{cid}", due=start + timedelta(days=days))
        for cid, days in dues.items()
    ]
    seed_owners(store, specs)
    with store.unit() as unit:
        apply_contracts(unit, specs)
    in_unit(store, record_progress, "D", "agent-D", percent=100)
    in_unit(store, record_progress, "S", "agent-S", percent=10)
    clock.advance(days=2)
    in_unit(store, record_progress, "B", "agent-B", percent=10)  # 5%/day; 90% in 1 day needed
    in_unit(store, record_progress, "T", "agent-T", percent=50)  # 25%/day; 50% in 28 days needed
    table = rollup(read_frames(store), store.now(), SETTINGS).contracts.set_index("id")
    assert table["track"].to_dict() == {
        "B": "behind",
        "D": "done",
        "O": "overdue",
        "S": "stalled",
        "T": "on_track",
    }
    assert table.loc["D", "status"] == "REVIEW"
