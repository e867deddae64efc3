"""The git pre-commit guard: no commit of paths another agent holds, and the compliance gate.

Run by ``integrations/git/pre-commit`` or the ``swarmops-reservations`` hook of
pre-commit. It refuses (exit 1) a commit whose staged paths (added, changed,
renamed or deleted) another agent's live reservation covers, naming the holder and
the expiry; then it scans the staged content of the Python files (written to a
temporary folder, never to the work tree) with the rules the hooks use and, when
one exists, the baseline (``SWARMOPS_BASELINE`` or ``.swarmops/baseline.json``),
and fails on findings at or above ``SWARMOPS_HOOK_FAIL_ON`` (default major) that
are new or worse than the baseline. swarmops unreachable: a warning, no refusal.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from swarmops.hooks.client import Unreachable, from_environment
from swarmops.hooks.gate import rules_file
from swarmops.hooks.repo import Repository, find_repository


def guard(env: dict[str, str]) -> int:
    repo = find_repository(os.getcwd())
    if repo is None:
        sys.stderr.write("swarmops: pre-commit: not inside a git repository\n")
        return 2
    staged = _git(repo, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRD")
    paths = [path for path in staged.split("\0") if path]
    if not paths:
        return 0
    refused = _held(env, repo, paths) + _gate(env, repo, paths)
    for line in refused:
        sys.stderr.write(f"swarmops: {line}\n")
    return 1 if refused else 0


def _held(env: dict[str, str], repo: Repository, paths: list[str]) -> list[str]:
    try:
        coordinator = from_environment(env)
        found = coordinator.conflicts(repo.name, paths) if coordinator else []
    except Unreachable as exc:
        sys.stderr.write(f"swarmops: {exc}; reservations not checked (failing open)\n")
        return []
    return [
        f"commit refused: {c['path']} is reserved by {c['agent_id']} ({c['pattern']}, "
        f"{c['mode']}) until {c['expires_at']}"
        for c in found
    ]


def _gate(env: dict[str, str], repo: Repository, paths: list[str]) -> list[str]:
    python = [path for path in paths if path.endswith(".py") and (repo.root / path).exists()]
    if not python:
        return []
    from swarmops.compliance import compare_to_baseline, load_baseline, load_rules, scan
    from swarmops.compliance.rules import RuleSet

    source = rules_file(repo.root)
    rules = load_rules(source) if source and source.suffix == ".yaml" else RuleSet()
    fail_on = env.get("SWARMOPS_HOOK_FAIL_ON") or "major"
    with tempfile.TemporaryDirectory(prefix="swarmops-staged-") as folder:
        _git(repo, "checkout-index", f"--prefix={folder}/", "--", *python)
        report = scan([Path(folder)], rules, jobs=1, cache_dir=None)
    baseline = Path(env.get("SWARMOPS_BASELINE") or repo.root / ".swarmops" / "baseline.json")
    if baseline.is_file():
        report = compare_to_baseline(report, load_baseline(baseline))
    return [
        f"compliance gate: {f.path}: {f.describe()} ({f.severity}, {f.status or 'new'})"
        for f in report.gate(fail_on)
    ]


def _git(repo: Repository, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo.root, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"swarmops: git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout
