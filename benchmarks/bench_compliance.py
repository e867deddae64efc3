"""Compliance scan speed on a large corpus nobody here wrote, beside its floor and peers.

Corpus: the installed sources of pandas, sqlalchemy, scipy and numpy. Figures:
cold and warm scans against a bare floor (the same files read, ``ast.parse``d and
``ast.walk``ed once, on the same number of processes, in the same chunks), and
against radon (raw + cc), lizard, pylint (size checks only) and ruff
(``--select C901,PLR0913,PLR0915 --no-cache``) on the same files. Slow Python
peers run on a fixed, evenly spread subset and are scaled by lines (said so in
their line). Run: ``python benchmarks/bench_compliance.py [--jobs N]``.
"""

from __future__ import annotations

import argparse
import ast
import gc
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from swarmops.compliance import RuleSet, scan
from swarmops.compliance.discover import discover
from swarmops.compliance.measure import count_lines
from swarmops.compliance.pool import pool_context
from swarmops.compliance.scanner import CHUNKS_PER_JOB

PACKAGES = ("pandas", "sqlalchemy", "scipy", "numpy")
PYLINT_CHECKS = "too-many-lines,too-many-arguments,too-many-statements,too-many-branches"
BIN = Path(sys.executable).parent


def corpus() -> tuple[list[Path], list[tuple[str, int]]]:
    """The package folders and every file the scan reads, with its line count."""
    roots = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            sys.exit(f"bench_compliance: {name} is not installed (pip install -e '.[bench]')")
        roots.append(Path(next(iter(spec.submodule_search_locations))))
    files = []
    for root in roots:
        for _, path, _, _ in discover(root, RuleSet()):
            with open(path, "rb") as handle:
                files.append((path, count_lines(handle.read())))
    return roots, files


def _floor_chunk(paths: list[str], strict: bool) -> int:
    if strict:
        gc.disable()  # what the scanner does: a stricter floor
    nodes = 0
    try:
        for path in paths:
            with open(path, "rb") as handle:
                data = handle.read()
            try:
                tree = ast.parse(data)
            except (SyntaxError, ValueError):
                continue
            for _ in ast.walk(tree):
                nodes += 1
    finally:
        gc.enable()
    return nodes


def floor(files: list[tuple[str, int]], jobs: int, strict: bool = False) -> float:
    """Read + ast.parse + one ast.walk of every file, same processes and chunking as the scan
    (``strict``: with the garbage collector paused, as the scanner runs)."""
    started = time.perf_counter()
    count = jobs * CHUNKS_PER_JOB
    ordered = sorted(files, key=lambda item: os.path.getsize(item[0]), reverse=True)
    chunks = [[path for path, _ in ordered[start::count]] for start in range(count)]
    with ProcessPoolExecutor(jobs, mp_context=pool_context()) as pool:
        sum(pool.map(partial(_floor_chunk, strict=strict), chunks))
    return time.perf_counter() - started


def timed(command: list[str]) -> float:
    """Seconds one command takes; one that crashes stops the benchmark (pylint's exit
    status is a bit mask: only fatal (1) and usage error (32) count as crashes)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    pylint = "pylint" in command[0]
    if (done.returncode & 33) if pylint else done.returncode not in (0, 1):
        sys.exit(f"bench_compliance: {command[0]} failed: {done.stderr[-500:]}")
    return elapsed


def subset(files: list[tuple[str, int]], lines: int) -> list[tuple[str, int]]:
    """Every k-th file (sorted by path), about ``lines`` lines in all."""
    total = sum(count for _, count in files)
    step = max(1, round(total / lines))
    return sorted(files)[::step]


def scans(
    roots: list[Path], files: list[tuple[str, int]], jobs: int, repeat: int
) -> dict[str, float]:
    """Cold (a fresh cache each time) interleaved with the floor, then warm; best of runs."""
    cold, floors, warm = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(repeat):
            floors.append(floor(files, jobs))
            cache = Path(folder) / f"cache{attempt}"
            started = time.perf_counter()
            scan(roots, jobs=jobs, cache_dir=cache)
            cold.append(time.perf_counter() - started)
        for _ in range(3):
            started = time.perf_counter()
            report = scan(roots, jobs=jobs, cache_dir=cache)
            warm.append(time.perf_counter() - started)
    assert report.cached_files == len(report.files), "warm scan parsed files"
    strict = floor(files, jobs, strict=True)
    return {"cold": min(cold), "floor": min(floors), "strict": strict, "warm": min(warm)}


def peers(files: list[tuple[str, int]], jobs: int) -> list[tuple[str, float, float, str]]:
    """Each peer beside our cold scan (the CLI, no cache) on the same files, run back to back.

    Returns (peer, peer seconds, our seconds, how measured); slow peers run on a subset.
    """
    total = sum(n for _, n in files)
    measured = []
    for name, (command, lines) in _peer_commands(jobs).items():
        part = files if lines is None else subset(files, lines)
        paths = [path for path, _ in part]
        ours = timed([str(BIN / "swarmops"), *OUR_SCAN, str(jobs), *paths])
        theirs = timed([*command, *paths])
        part_lines = sum(n for _, n in part)
        how = "all files" if lines is None else f"{len(part)} files, {part_lines} lines"
        if lines is not None:
            how += f"; whole corpus scaled x{total / part_lines:.1f}: {theirs * total / part_lines:.0f} s"
        measured.append((name, theirs, ours, how))
    return measured


RUFF_ARGS = ["check", "--isolated", "--select", "C901,PLR0913,PLR0915", "--no-cache"]
RUFF_ARGS += ["--exit-zero", "-q"]
OUR_SCAN = ["compliance", "scan", "--no-cache", "--format", "json", "--fail-on", "never", "-j"]


def _peer_commands(jobs: int) -> dict[str, tuple[list[str], int | None]]:
    """Each peer's command (files appended) and its subset size in lines (None: all files)."""
    pylint = [
        str(BIN / "pylint"),
        "--rcfile=/dev/null",
        "--disable=all",
        f"--enable={PYLINT_CHECKS}",
    ]
    return {
        "ruff (-j n/a, all cores)": ([str(BIN / "ruff"), *RUFF_ARGS], None),
        "radon raw+cc (1 process: no parallel mode)": (
            ["sh", "-c", f'"{BIN}/radon" raw "$@" >/dev/null && "{BIN}/radon" cc "$@"', "radon"],
            30_000,
        ),
        f"lizard -t {jobs}": ([str(BIN / "lizard"), "-l", "python", "-t", str(jobs)], None),
        f"pylint -j {jobs} (size checks only)": (
            [*pylint, "-j", str(jobs), "--score=n", "--persistent=n"],
            15_000,
        ),
    }


def report(files: list[tuple[str, int]], jobs: int, ours: dict[str, float], others: list) -> None:
    """Print every figure beside its floor or peer, as a ratio."""
    lines = sum(n for _, n in files)
    print(f"corpus {', '.join(PACKAGES)}: {len(files)} files, {lines} lines, {jobs} processes")
    cold, warm, bare = ours["cold"], ours["warm"], ours["floor"]
    print(
        f"cold scan {cold:.2f} s | floor (read+ast.parse+ast.walk) {bare:.2f} s | ratio {cold / bare:.2f}x (target <= 1.15x)"
    )
    strict = ours["strict"]
    print(
        f"cold scan {cold:.2f} s | stricter floor (same, GC paused as the scanner does) {strict:.2f} s | ratio {cold / strict:.2f}x"
    )
    ruff = others[0][1]
    print(
        f"warm scan {warm:.3f} s | ruff cold {ruff:.2f} s (all files) | ratio {warm / ruff:.2f}x (target < 1)"
    )
    for name, theirs, our, how in others:
        print(
            f"cold scan (CLI) {our:.2f} s | {name} {theirs:.2f} s ({how}) | ratio {theirs / our:.2f}x"
        )
    name, theirs, our, _ = min(others[1:], key=lambda item: item[1] / item[2])
    print(
        f"fastest Python peer {name}: swarmops {theirs / our:.1f}x faster on the same files (target >= 1.8x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="cold/floor pairs (best is kept)")
    args = parser.parse_args()
    jobs = args.jobs
    roots, files = corpus()
    ours = scans(roots, files, jobs, args.repeat)
    report(files, jobs, ours, peers(files, jobs))


if __name__ == "__main__":
    main()
