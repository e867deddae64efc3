"""The scan: discover files, reuse cached results, measure the rest in parallel.

Files go to worker processes in a few big chunks (balanced by size), never one
task per file; a small scan runs in-process. Nothing scanned is ever executed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from swarmops.compliance.budget import Budget
from swarmops.compliance.cache import ScanCache
from swarmops.compliance.discover import discover
from swarmops.compliance.measure import FileResult, scan_chunk
from swarmops.compliance.models import Finding, ScanReport, fingerprint
from swarmops.compliance.pool import start_pool, terminate
from swarmops.compliance.rules import Profile, RuleSet, Severity
from swarmops.errors import NotFound, SwarmopsError

Progress = Callable[[int, int], None]
IN_PROCESS_BYTES = 256_000
CHUNKS_PER_JOB = 4
_FIELDS = set(Finding.model_fields)
_SEVERITY = {severity.value: severity for severity in Severity}


@dataclass
class _Plan:
    """Every file of a scan: (root, relative path, absolute path, size, mtime_ns, profile)."""

    files: list[tuple[str, str, str, int, int, int]] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    index: dict[Profile, int] = field(default_factory=dict)

    def profile(self, profile: Profile) -> int:
        if profile not in self.index:
            self.index[profile] = len(self.profiles)
            self.profiles.append(profile)
            self.keys.append(json.dumps(profile, separators=(",", ":")))
        return self.index[profile]


def scan(
    roots: list[Path],
    rules: RuleSet | None = None,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> ScanReport:
    """Scan ``roots`` with ``rules`` (default rules when None); see the module docstring."""
    started = time.perf_counter()
    rules = rules or RuleSet()
    plan = _plan(roots, rules)
    root_names = sorted({str(Path(root)) for root in roots})
    cache = ScanCache.for_roots(cache_dir, root_names, rules.digest)
    results, todo = _from_cache(plan, cache)
    budget = Budget(rules.max_file_bytes, rules.max_file_tokens)
    measured = _measure(plan, todo, budget, jobs, progress)
    results.update(_remember(plan, cache, measured))
    cache.save()
    return ScanReport(
        roots=[str(root) for root in roots],
        files=[rel for _, rel, *_ in plan.files],
        lines=sum(lines for lines, _ in results.values()),
        findings=_findings(plan, results),
        duration_s=time.perf_counter() - started,
        cached_files=len(plan.files) - len(todo),
    )


def _remember(
    plan: _Plan, cache: ScanCache, measured: Iterator[FileResult]
) -> Iterator[tuple[int, tuple[int, list]]]:
    """Each measured file's result (the cached one when its content is unchanged)."""
    for index, digest, lines, raw in measured:
        _, _, path, size, mtime, profile = plan.files[index]
        key = plan.keys[profile]
        cached = cache.lookup(digest, key) if lines < 0 else None
        result = cached if cached is not None else (lines, raw)
        cache.keep(path, (size, mtime), digest, key, result)
        yield index, result


def _plan(roots: list[Path], rules: RuleSet) -> _Plan:
    plan = _Plan()
    for root in roots:
        if not Path(root).exists():
            raise NotFound(f"no such file or folder: {root}")
        for rel, path, size, mtime in discover(Path(root), rules):
            plan.files.append(
                (str(root), rel, path, size, mtime, plan.profile(rules.profile_for(rel)))
            )
    return plan


def _from_cache(plan: _Plan, cache: ScanCache) -> tuple[dict, list[tuple[int, str, int, str]]]:
    """Results the cache can vouch for by stat, and the work items left to measure."""
    results: dict[int, tuple[int, list]] = {}
    todo: list[tuple[int, str, int, str]] = []
    for index, (_, _, path, size, mtime, profile) in enumerate(plan.files):
        hit = cache.trusted(path, size, mtime, plan.keys[profile])
        if hit is not None:
            results[index] = hit
        else:
            todo.append((index, path, profile, cache.previous_digest(path, plan.keys[profile])))
    return results, todo


def _measure(
    plan: _Plan, todo: list, budget: Budget, jobs: int | None, progress: Progress | None
) -> Iterator[FileResult]:
    """Measure the files left, in-process when small, else in big chunks across processes."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    total = sum(plan.files[item[0]][3] for item in todo)
    if jobs == 1 or total <= IN_PROCESS_BYTES or len(todo) < 2:
        yield from scan_chunk(todo, plan.profiles, budget)
        return
    chunks = _chunks(todo, plan, jobs * CHUNKS_PER_JOB)
    done = 0
    pool = start_pool(jobs)
    try:
        futures = [pool.submit(scan_chunk, chunk, plan.profiles, budget) for chunk in chunks]
        for future in as_completed(futures):
            chunk_results = future.result()
            done += len(chunk_results)
            if progress is not None:
                progress(done, len(todo))
            yield from chunk_results
    except BrokenProcessPool as exc:
        terminate(pool)
        raise SwarmopsError("a scan worker died (killed, or out of memory?)") from exc
    except BaseException:
        terminate(pool)
        raise
    pool.shutdown()


def _chunks(todo: list, plan: _Plan, count: int) -> list[list]:
    """Split work into ``count`` chunks of similar total size (largest files first)."""
    ordered = sorted(todo, key=lambda item: plan.files[item[0]][3], reverse=True)
    chunks: list[list] = [[] for _ in range(min(count, len(ordered)))]
    for position, item in enumerate(ordered):
        chunks[position % len(chunks)].append(item)
    return chunks


def _finding(root: str, rel: str, measured: tuple, nth: int) -> Finding:
    """A worker's measured tuple as a Finding (built unvalidated: the worker's values are)."""
    rule, severity, line, symbol, value, limit, message = measured
    return Finding.model_construct(
        _FIELDS,
        path=rel,
        rule=rule,
        severity=_SEVERITY[severity],
        line=line,
        symbol=symbol,
        value=value,
        limit=limit,
        message=message,
        root=root,
        status=None,
        baseline_value=None,
        blame=None,
        fingerprint=fingerprint(rel, rule, symbol, nth),
    )


def _findings(plan: _Plan, results: dict[int, tuple[int, list]]) -> list[Finding]:
    """Findings with paths and fingerprints; duplicates of one key are numbered in order."""
    findings: list[Finding] = []
    for index in sorted(results):
        root, rel, *_ = plan.files[index]
        seen: dict[tuple, int] = {}
        for measured in results[index][1]:
            key = (measured[0], measured[3])  # rule and symbol: the severity may change
            seen[key] = nth = seen.get(key, -1) + 1
            findings.append(_finding(root, rel, measured, nth))
    findings.sort(key=lambda f: (f.root, f.path, f.line, f.rule))
    return findings
