"""The whole rollup: per contract, per agent and for the swarm (with a burndown).

Per agent: active contracts (held, not done), completed ones, and throughput as the
percent points the agent's events added per day over the velocity window. Swarm:
mean completion, the count per track, and a daily burndown of the work left in
contract-equivalents (a contract at 40% leaves 0.6).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from swarmops.contracts.rollup import (
    DAY,
    TRACKS,
    Events,
    RollupFrames,
    contract_rollup,
    records,
)
from swarmops.contracts.status import HELD
from swarmops.settings import ProgressSettings
from swarmops.store import Store


class Rollup(BaseModel):
    """The rollup's three parts, as DataFrames and a summary mapping."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    contracts: pd.DataFrame
    agents: pd.DataFrame
    swarm: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """``{"contracts": [...], "agents": [...], "swarm": {...}}`` as the CLI prints it."""
        return {
            "contracts": records(self.contracts),
            "agents": records(self.agents),
            "swarm": self.swarm,
        }


def rollup(frames: RollupFrames, now: datetime, settings: ProgressSettings) -> Rollup:
    """Roll up progress as of ``now`` (a pure function of the frames)."""
    contracts, events = contract_rollup(frames, now, settings)
    window = pd.Timestamp(now) - pd.Timedelta(days=settings.velocity_window_d)
    return Rollup(
        contracts=contracts,
        agents=agent_rollup(contracts, events, window, settings.velocity_window_d),
        swarm=swarm_rollup(contracts, events, now),
    )


def rollup_store(store: Store, settings: ProgressSettings) -> Rollup:
    """Read the store's frames and roll them up as of the store's clock."""
    from swarmops.contracts.queries import read_frames

    return rollup(read_frames(store), store.now(), settings)


def agent_rollup(
    contracts: pd.DataFrame, events: Events, since: pd.Timestamp, window_d: float
) -> pd.DataFrame:
    """One row per agent that owns a contract or reported progress."""
    done = contracts["track"] == "done"
    owned = (
        contracts.assign(active=contracts["status"].isin(HELD) & ~done, completed=done)
        .groupby("owner")[["active", "completed"]]
        .sum()
    )
    code, names = pd.factorize(events.agent_id, sort=False)  # once: strings are the cost
    recent = (events.at_s >= since.timestamp()) & (events.delta > 0)
    gain = np.bincount(code, weights=events.delta * recent, minlength=len(names))
    last = np.zeros(len(names))
    final = ~pd.Series(code).duplicated(keep="last").to_numpy()  # events are time-ordered
    last[code[final]] = events.at_s[final]
    by_agent = pd.DataFrame(
        {"gain": gain, "last_update": pd.to_datetime(np.round(last * 1e6), unit="us", utc=True)},
        index=pd.Index(names),
    )
    table = owned.join(by_agent, how="outer").rename_axis("id").reset_index()
    table[["active", "completed"]] = table[["active", "completed"]].fillna(0).astype(int)
    table["throughput_pct_per_day"] = (table["gain"].fillna(0.0) / window_d).round(4)
    return table[["id", "active", "completed", "throughput_pct_per_day", "last_update"]]


def swarm_rollup(contracts: pd.DataFrame, events: Events, now: datetime) -> dict[str, Any]:
    """Completion, counts per track, and the daily burndown."""
    tracks = contracts["track"].value_counts()
    count = len(contracts)
    return {
        "contracts": count,
        "completion": round(float(contracts["percent"].mean()), 4) if count else 0.0,
        "tracks": {track: int(tracks.get(track, 0)) for track in TRACKS},
        "burndown": burndown(events, count, now),
    }


def burndown(events: Events, contracts: int, now: datetime) -> list[dict[str, Any]]:
    """Per day from the first event to ``now``: mean completion and work left at day's end."""
    if not len(events.code) or not contracts:
        return []
    day = (events.at_s // 86400).astype(np.int64)
    first = int(day.min())
    span = max(int(pd.Timestamp(now).timestamp() // 86400), int(day.max())) - first + 1
    offset = day - first
    total = np.cumsum(np.bincount(offset, weights=events.delta, minlength=span))
    dates = pd.date_range(pd.Timestamp(first * 86400, unit="s"), periods=span, freq=DAY)
    return [
        {
            "date": day.date().isoformat(),
            "completion": round(float(points) / contracts, 4),
            "remaining": round(contracts - float(points) / 100.0, 4),
        }
        for day, points in zip(dates, total, strict=True)
    ]
