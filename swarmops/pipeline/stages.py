"""The stage-run log: one ``stage_runs`` row per stage run, which feeds
``swarmops_stage_runs_total{stage,result}`` and answers "when did validation last pass".
Its ``swarmops.stage.completed``/``failed`` event is an outbox row of the same unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from swarmops.errors import BadInput
from swarmops.outbox import EventSpec, queue_event
from swarmops.store import Unit
from swarmops.store.schema import stage_runs

RESULTS = ("completed", "failed")


def record_stage_run(
    unit: Unit, stage: str, result: str, started_at: datetime, summary: dict[str, Any]
) -> int:
    """Append one finished stage run (finished now, by the unit's clock); returns its id."""
    if not stage or len(stage) > 64:
        raise BadInput(f"stage name must be 1-64 characters, not {stage!r}")
    if result not in RESULTS:
        raise BadInput(f"stage result must be one of {', '.join(RESULTS)}, not {result!r}")
    row = {
        "stage": stage,
        "result": result,
        "started_at": started_at,
        "finished_at": unit.now(),
        "summary": summary,
    }
    insert = stage_runs.insert().values(**row).returning(stage_runs.c.id)
    run_id = int(unit.execute(insert).scalar_one())
    text = f"{stage} {result}: {summary.get('summary', '')}"
    event = EventSpec(
        kind=f"stage.{result}", resource_kind="stage", resource_id=stage, message=text
    )
    queue_event(unit, event, payload={"stage_run_id": run_id})
    return run_id
