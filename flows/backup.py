"""backup: take a backup, prove it by restoring it, prune by the retention policy.

Invariant: a backup counts only once a restore of it verified (row counts and
checksum equal the manifest, both event logs replay); nothing is pruned after a
verification failed, and the newest verified backup is never pruned. The run's
report carries the manifest and the verification; the metrics (newest verified
backup's time, size, verification failures) are published at its end. Scheduled
hourly. Run ad hoc: ``python -m flows.backup``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import (
    DEFAULTS,
    FlowParams,
    StageOutcome,
    StageRun,
    Step,
    metrics_step,
    run_name,
    stage_run,
)
from swarmops.backup import STALE_AFTER_S
from swarmops.backup.report import manifest_markdown, verification_markdown
from tasks import backup as tasks
from tasks.reports import seconds


def back_up(run: StageRun) -> list[Step]:
    """Create, verify and (when the new backup verified) prune."""
    manifest = tasks.create(run.settings)
    rows = sum(manifest.tables.values())
    summary = f"{manifest.name}: {manifest.size_bytes:,} bytes, {rows:,} rows"
    made = Step(name="create", ok=True, summary=summary, markdown=manifest_markdown(manifest))
    checked = tasks.verify(run.settings, manifest.name)
    verified = Step(
        name="verify",
        ok=checked.ok,
        summary=checked.summary(),
        markdown=verification_markdown(checked),
    )
    if not checked.ok:
        line = "skipped: the new backup failed verification, so nothing is pruned"
        return [made, verified, Step(name="prune", ok=True, summary=line, markdown=line)]
    plan = tasks.prune(run.settings)
    gone = ", ".join(plan.pruned) or "none"
    pruned = Step(
        name="prune",
        ok=True,
        summary=plan.summary(),
        markdown=f"**Retention**: {plan.summary()} (pruned: {gone}).",
    )
    return [made, verified, pruned]


def freshness(run: StageRun) -> Step:
    """The age of the newest verified backup, as the operations stage reports it."""
    found = tasks.freshness(run.store_url)
    if found.age_s is None:
        line = "no verified backup yet"
    else:
        stale = " - STALE, over twice the hourly schedule" if found.age_s > STALE_AFTER_S else ""
        line = f"newest verified backup {found.backup} is {seconds(found.age_s)} old{stale}"
    return Step(name="backup", ok=True, summary=line, markdown=f"**Backup**: {line}.")


@flow(name="backup", flow_run_name=run_name("backup"))
def backup(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Back the store up, verify the backup by restoring it, prune old backups and
    publish the metrics."""
    with stage_run("backup", params) as run:
        steps = back_up(run)
        return run.finish([*steps, metrics_step(run, "backup", all(s.ok for s in steps))])


if __name__ == "__main__":
    print("\n".join(backup().lines()))
