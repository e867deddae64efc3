"""The stage-run log: one ``stage_runs`` row per stage run, which feeds
``swarmops_stage_runs_total{stage,result}`` and answers "when did validation last pass"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from swarmops.errors import BadInput
from swarmops.store import Store
from swarmops.store.schema import stage_runs

RESULTS = ("completed", "failed")


def record_stage_run(
    store: Store, stage: str, result: str, started_at: datetime, summary: dict[str, Any]
) -> int:
    """Append one finished stage run (finished now, by the store's clock); returns its id."""
    if not stage or len(stage) > 64:
        raise BadInput(f"stage name must be 1-64 characters, not {stage!r}")
    if result not in RESULTS:
        raise BadInput(f"stage result must be one of {', '.join(RESULTS)}, not {result!r}")
    row = {
        "stage": stage,
        "result": result,
        "started_at": started_at,
        "finished_at": store.now(),
        "summary": summary,
    }
    with store.write() as connection:
        insert = stage_runs.insert().values(**row).returning(stage_runs.c.id)
        return int(connection.execute(insert).scalar_one())
