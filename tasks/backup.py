"""Backup tasks: create, verify, prune and read the freshness, each retried on I/O.

A verification that finds a difference is a result (``ok`` false), not an error,
so it is never retried; a lost connection, a busy database or a flickering file
system is (``tasks.policy``).
"""

from __future__ import annotations

from prefect import task

from swarmops import backup
from swarmops.backup import Freshness, Manifest, RetentionPlan, RetentionPolicy, Verification
from swarmops.fsm import load_agent_machine
from swarmops.settings import Settings
from tasks.policy import io_policy
from tasks.stores import store_for


@task(name="create-backup", **io_policy())
def create(settings: Settings) -> Manifest:
    """A consistent online copy of the store, with its manifest, in backup.directory."""
    return backup.create_backup(store_for(settings.store_url), settings.backup.directory)


@task(name="verify-backup", **io_policy())
def verify(settings: Settings, name: str) -> Verification:
    """Restore the backup into a scratch store and check it against its manifest."""
    found = backup.locate(name, settings.backup.directory)
    machine = load_agent_machine(settings.fsm)
    return backup.verify_backup(store_for(settings.store_url), found, machine)


@task(name="prune-backups", **io_policy())
def prune(settings: Settings) -> RetentionPlan:
    """Delete the backups retention does not keep."""
    kept = settings.backup
    policy = RetentionPolicy(keep_last=kept.keep_last, keep_daily=kept.keep_daily)
    return backup.prune_backups(kept.directory, policy, store_for(settings.store_url).now())


@task(name="backup-freshness", **io_policy())
def freshness(store_url: str) -> Freshness:
    """How old the newest verified backup is."""
    return backup.freshness(store_for(store_url))
