"""Retention on a fixture of dated backups: the last N, the newest of each of the last D
days, and the newest verified backup whatever its age; pruning deletes exactly the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from swarmops.backup import Backup, Manifest, RetentionPolicy, plan_retention, prune_backups
from swarmops.backup.manifest import write_json

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def dated(folder: Path, at: datetime, *, verified: bool = False) -> Backup:
    """A backup taken at ``at``: data file, manifest and (optionally) a passed verification."""
    name = f"swarmops-{at:%Y%m%dT%H%M%SZ}"
    manifest = Manifest(
        name=name,
        file=f"{name}.sqlite",
        format="sqlite",
        created_at=at,
        source="sqlite://",
        schema_name=None,
        revision="0006",
        tables={},
        size_bytes=1,
        sha256="0" * 64,
        swarmops_version="test",
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / manifest.file).write_bytes(b"x")
    backup = Backup(folder, manifest)
    write_json(backup.manifest_path, manifest)
    if verified:
        backup.verification_path.write_text('{"ok": true}', encoding="utf-8")
    return backup


@pytest.fixture
def ten_days(tmp_path: Path) -> list[Backup]:
    """Four backups a day (00:00, 06:00, 12:00, 18:00) from March 1 to March 10 noon."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    times = [start + timedelta(hours=6 * i) for i in range(4 * 9 + 3)]
    return [dated(tmp_path, at) for at in times]


def names(*stamps: str) -> tuple[str, ...]:
    return tuple(f"swarmops-202603{stamp}00Z" for stamp in stamps)


def test_the_last_n_and_the_newest_of_each_of_d_days(ten_days: list[Backup]) -> None:
    plan = plan_retention(ten_days, RetentionPolicy(keep_last=3, keep_daily=4), NOW)
    # the last three (10th noon, 10th 06:00, 10th midnight), then the newest of the 9th,
    # 8th and 7th: the 10th is day 1 of four
    assert plan.kept == names("10T1200", "10T0600", "10T0000", "09T1800", "08T1800", "07T1800")
    assert len(plan.pruned) == len(ten_days) - 6
    assert set(plan.kept).isdisjoint(plan.pruned)


def test_no_daily_keeps_only_the_last_n(ten_days: list[Backup]) -> None:
    plan = plan_retention(ten_days, RetentionPolicy(keep_last=2, keep_daily=0), NOW)
    assert plan.kept == names("10T1200", "10T0600")


def test_the_newest_verified_backup_stays_whatever_its_age(tmp_path: Path) -> None:
    old = dated(tmp_path, datetime(2026, 1, 5, tzinfo=UTC), verified=True)
    older = dated(tmp_path, datetime(2026, 1, 4, tzinfo=UTC), verified=True)
    recent = [dated(tmp_path, NOW - timedelta(hours=h)) for h in (1, 2)]
    plan = plan_retention([older, old, *recent], RetentionPolicy(keep_last=2, keep_daily=1), NOW)
    assert plan.kept == (recent[0].name, recent[1].name, old.name)
    assert plan.pruned == (older.name,)


def test_pruning_deletes_exactly_what_the_plan_prunes(
    ten_days: list[Backup], tmp_path: Path
) -> None:
    policy = RetentionPolicy(keep_last=3, keep_daily=4)
    dry = prune_backups(tmp_path, policy, NOW, dry_run=True)
    assert len(list(tmp_path.glob("*.manifest.json"))) == len(ten_days)
    done = prune_backups(tmp_path, policy, NOW)
    assert done == dry
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(f"{n}{s}" for n in done.kept for s in (".manifest.json", ".sqlite"))
