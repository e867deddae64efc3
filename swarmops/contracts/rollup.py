"""Progress rollups as pure functions of DataFrames (reading them is ``read_frames``).

Vectorised throughout: events are mapped to integer contract codes once, and every
per-contract figure is a bincount, a grouped shift or a masked assignment, never a
Python loop per event. Events must be in time order (``read_frames`` returns them so).

``track`` for a contract, first match wins: ``done`` (DONE, or at 100%); ``overdue``
(due has passed); ``stalled`` (the owner's move, ``OWNER_TO_MOVE``, and nothing
happened for ``stall_after_h``: a contract in REVIEW waits for its reviewer); ``behind`` (started, and the observed velocity over the last
``velocity_window_d`` days is below the velocity needed to finish by the due date);
else ``on_track``. CANCELLED contracts are not work any more and are left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from swarmops.contracts.status import CANCELLED, DONE, OWNER_TO_MOVE
from swarmops.settings import ProgressSettings

TRACKS = ("done", "overdue", "stalled", "behind", "on_track")
DAY = pd.Timedelta(days=1)
CONTRACT_COLUMNS = [
    "id",
    "title",
    "owner",
    "status",
    "percent",
    "tasks_done",
    "tasks_total",
    "velocity_pct_per_day",
    "eta",
    "track",
    "last_update",
]


class RollupFrames(NamedTuple):
    """The inputs: contracts (id, title, owner, status, due, created_at, status_at),
    events (contract_id, agent_id, percent, at; time-ordered) and tasks
    (contract_id, task_id, weight, done_at)."""

    contracts: pd.DataFrame
    events: pd.DataFrame
    tasks: pd.DataFrame


class Events(NamedTuple):
    """Events of rolled-up contracts: integer contract code, time as epoch seconds
    (``at_s``), the percent after the event and its change from the one before."""

    code: np.ndarray
    agent_id: pd.Series
    at: pd.Series
    at_s: np.ndarray
    delta: np.ndarray
    percent: np.ndarray


def epoch_seconds(times: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Aware timestamps as float seconds since the epoch (NaT as NaN), without objects."""
    values = pd.DatetimeIndex(times).as_unit("us")
    seconds = values.asi8 / 1e6
    return np.where(values.isna(), np.nan, seconds)


def prepare_events(frames: RollupFrames, contract_ids: pd.Index) -> Events:
    """Code each event by contract position and compute its change of percent."""
    events = frames.events
    if not events["at"].is_monotonic_increasing:
        events = events.sort_values("at", kind="stable")
    code = contract_ids.get_indexer(events["contract_id"])
    keep = code >= 0
    events, code = events[keep], code[keep]
    percent = events["percent"].fillna(0.0).to_numpy(dtype=float)
    previous = pd.Series(percent).groupby(code).shift(fill_value=0.0).to_numpy()
    at = events["at"]
    return Events(code, events["agent_id"], at, epoch_seconds(at), percent - previous, percent)


def contract_rollup(
    frames: RollupFrames, now: datetime, settings: ProgressSettings
) -> tuple[pd.DataFrame, Events]:
    """One row per live, non-cancelled contract (CONTRACT_COLUMNS), and the coded events."""
    table = frames.contracts[frames.contracts["status"] != CANCELLED].reset_index(drop=True)
    ids = pd.Index(table["id"])
    events, n = prepare_events(frames, ids), len(table)
    now_ts = pd.Timestamp(now)
    last = ~pd.Series(events.code).duplicated(keep="last").to_numpy()
    percent = np.zeros(n)
    percent[events.code[last]] = events.percent[last]
    last_s = np.full(n, np.nan)
    last_s[events.code[last]] = events.at_s[last]
    window = settings.velocity_window_d * 86400.0
    start = np.maximum(epoch_seconds(table["created_at"]), now_ts.timestamp() - window)
    days = np.maximum(now_ts.timestamp() - start, 86400.0) / 86400.0  # at least a day
    recent = events.at_s >= start[events.code]
    moved = np.bincount(events.code[recent], weights=events.delta[recent], minlength=n)
    out = table[["id", "title", "owner", "status"]].copy()
    out["percent"] = percent.round(4)
    out["tasks_done"], out["tasks_total"] = _task_counts(frames.tasks, ids)
    out["velocity_pct_per_day"] = (moved / days).round(4)
    out["last_update"] = pd.to_datetime(np.round(last_s * 1e6), unit="us", utc=True)
    out["eta"] = _eta(out, now_ts)
    out["track"] = _tracks(out, table, now_ts, settings)
    return out[CONTRACT_COLUMNS], events


def _task_counts(tasks: pd.DataFrame, ids: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    code = ids.get_indexer(tasks["contract_id"])
    keep = code >= 0
    done = tasks["done_at"].notna().to_numpy()
    total = np.bincount(code[keep], minlength=len(ids))
    return np.bincount(code[keep & done], minlength=len(ids)), total


def _eta(out: pd.DataFrame, now: pd.Timestamp) -> pd.Series:
    remaining = 100.0 - out["percent"]
    velocity = out["velocity_pct_per_day"].where(out["velocity_pct_per_day"] > 0)
    eta = now + (remaining / velocity) * DAY
    return eta.where(remaining > 0)


def _tracks(
    out: pd.DataFrame, table: pd.DataFrame, now: pd.Timestamp, settings: ProgressSettings
) -> np.ndarray:
    due = table["due"]
    done = (out["status"] == DONE) | (out["percent"] >= 100)
    overdue = due.notna() & (due < now)
    activity = pd.concat([out["last_update"], table["status_at"], table["created_at"]], axis=1)
    quiet = now - activity.max(axis=1) > pd.Timedelta(hours=settings.stall_after_h)
    stalled = out["status"].isin(OWNER_TO_MOVE) & quiet
    days_left = np.maximum((due - now) / DAY, 1e-9)
    required = (100.0 - out["percent"]) / days_left
    behind = out["last_update"].notna() & due.notna() & (out["velocity_pct_per_day"] < required)
    return np.select([done, overdue, stalled, behind], list(TRACKS[:4]), default="on_track")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: timestamps as ISO 8601 strings, missing values as None."""
    plain = frame.copy()
    for column in plain.columns:
        if isinstance(plain[column].dtype, pd.DatetimeTZDtype):
            plain[column] = plain[column].map(lambda t: t.isoformat(), na_action="ignore")
    plain = plain.astype(object).where(plain.notna(), None)
    return [
        {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
        for row in plain.to_dict(orient="records")
    ]
