"""``swarmops compliance scan|baseline``: the V2 gate for people, CI and pre-commit.

Stays light at import (no pandas, no prefect): the scanner loads on first use.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import emit_line
from swarmops.compliance.cache import DEFAULT_CACHE_DIR
from swarmops.compliance.fileio import check_target, write_atomic
from swarmops.compliance.render import ReportFormat
from swarmops.errors import BadInput, CheckFailed, SwarmopsError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from swarmops.compliance import Finding, RuleSet, ScanReport

PROGRESS_AFTER_S = 1.0

compliance_app = typer.Typer(
    name="compliance", help="Scan code against the V2 shape rules.", no_args_is_help=True
)


class FailOn(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"
    never = "never"


def _path(name: str) -> Callable[[str], Path]:
    """The parser of a path from the command line: an empty one (an unset ``"$DIR"``) is
    refused, since ``Path("")`` would quietly mean the working directory."""

    def parse(value: str) -> Path:
        if not value:
            raise BadInput(f"{name}: the path is empty (an unset variable?)")
        return Path(value)

    return parse


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        parser=_path("PATH"),
        metavar="PATH",
        help="Files or folders (default: the configured roots).",
    ),
]
RulesOpt = Annotated[
    Path | None,
    typer.Option("--rules", parser=_path("--rules"), metavar="FILE", help="Rules file (YAML)."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", parser=_path("--output"), metavar="FILE", help="Write here."),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option("--baseline", parser=_path("--baseline"), metavar="FILE", help="Baseline file."),
]
RootOpt = Annotated[
    Path | None,
    typer.Option(
        "--root",
        parser=_path("--root"),
        metavar="DIR",
        help="Repository root SARIF paths are relative to (default: the working directory).",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, max=1024, help="Worker processes (default: all cores)."),
]


class ScanInterrupted(SwarmopsError):
    """Interrupted (Ctrl-C): the scan stopped and nothing was written."""

    exit_code = 130


@dataclass(frozen=True)
class ReportOptions:
    """How and where one scan's report goes."""

    fmt: ReportFormat
    fail_on: str
    output: Path | None = None
    root: Path | None = None

    def check(self, paths: list[Path]) -> None:
        """Refuse, before any work, an output that cannot be written or a ``--root``
        that does not hold every scanned path (SARIF paths are relative to it)."""
        if self.output is not None:
            check_target(self.output)
        if self.root is None:
            return
        if not self.root.is_dir():
            raise BadInput(f"--root {self.root}: no such folder")
        base = self.root.resolve()
        for path in paths:
            if not path.resolve().is_relative_to(base):
                raise BadInput(f"--root {self.root}: {path} is outside it")


@dataclass(frozen=True)
class ScanOptions:
    """What one scan command asked for."""

    paths: list[Path]
    rules: Path | None = None
    jobs: int | None = None
    cache: bool = True
    quiet: bool = True


@compliance_app.command("scan")
def scan_command(  # swarmops: allow[function-params] Typer maps each CLI option to one parameter
    ctx: typer.Context,
    paths: PathsArg = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = (
        ReportFormat.table
    ),
    baseline: BaselineOpt = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Gate severity.")] = FailOn.major,
    jobs: JobsOpt = None,
    rules: RulesOpt = None,
    blame: Annotated[
        bool, typer.Option("--blame", help="Name who brought in new findings.")
    ] = False,
    output: OutputOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore the cache.")] = False,
    root: RootOpt = None,
) -> None:
    """Scan PATH… and exit 1 when a finding at or above --fail-on is new."""
    quiet = fmt is not ReportFormat.table or bool(os.environ.get("CI")) or output is not None
    options = ScanOptions(_roots(ctx, paths), rules, jobs, not no_cache, quiet)
    how = ReportOptions(fmt, fail_on.value, output, root)
    how.check(options.paths)
    with _interruptible():
        report = _annotate(run_scan(ctx, options), baseline, blame)
        _emit(report, how)
    failing = report.gate(fail_on.value)
    if failing:
        raise CheckFailed(_gate_line(failing, baseline is not None, fail_on.value))


def _gate_line(failing: list[Finding], baselined: bool, fail_on: str) -> str:
    """One line: how many failed and why, naming the worsened ones' baseline values."""
    worse = [f for f in failing if f.status == "worse"]
    new = len(failing) - len(worse)
    what = f"{new} new finding(s)" if baselined else f"{new} finding(s)"
    if worse:
        named = "; ".join(f"{f.path}: {f.describe()}" for f in worse[:3])
        what += f" and {len(worse)} worse than the baseline ({named})"
    return f"compliance gate failed: {what} at or above {fail_on}"


@compliance_app.command("baseline")
def baseline_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            parser=_path("--output"),
            metavar="FILE",
            help="Baseline file to write.",
        ),
    ],
    paths: PathsArg = None,
    rules: RulesOpt = None,
    jobs: JobsOpt = None,
) -> None:
    """Record today's findings so later scans fail only on new ones."""
    from swarmops.compliance import write_baseline

    options = ScanOptions(_roots(ctx, paths), rules, jobs)
    check_target(output)
    with _interruptible():
        report = run_scan(ctx, options)
        count = write_baseline(report, output)
    emit_line(f"wrote {count} fingerprints of {len(report.files)} files to {output}")


def run_scan(ctx: typer.Context, options: ScanOptions) -> ScanReport:
    """Resolve the rules as documented and scan, with a progress bar when it helps."""
    from swarmops.compliance import scan

    rule_set = _rules(ctx, options)
    cache_dir = DEFAULT_CACHE_DIR if options.cache else None
    progress = None if options.quiet or not sys.stderr.isatty() else _LazyProgress()
    try:
        return scan(
            options.paths, rule_set, jobs=options.jobs, cache_dir=cache_dir, progress=progress
        )
    finally:
        if progress is not None:
            progress.close()


def _annotate(report: ScanReport, baseline: Path | None, blame: bool) -> ScanReport:
    """Mark findings new/known against a baseline, then name who brought in the new ones."""
    if baseline is not None:
        from swarmops.compliance import compare_to_baseline, load_baseline

        report = compare_to_baseline(report, load_baseline(baseline))
    if blame:
        from swarmops.compliance.blame import attribute

        report = attribute(report)
    return report


def _rules(ctx: typer.Context, options: ScanOptions) -> RuleSet:
    from swarmops.compliance import resolve_rules

    settings = cli_context(ctx).settings if options.rules is None else None
    return resolve_rules(options.rules, settings, options.paths)[0]


def _roots(ctx: typer.Context, paths: list[Path] | None) -> list[Path]:
    if paths:
        return paths
    settings = cli_context(ctx).settings
    return list(settings.compliance.roots) if settings.config_file else [Path(".")]


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C as one line and exit 130 (Typer would turn it into a silent exit 130); the
    workers are stopped by the scan, and every write is atomic, so nothing is left."""
    try:
        yield
    except KeyboardInterrupt:
        raise ScanInterrupted("interrupted: the scan stopped and wrote nothing") from None


def _emit(report: ScanReport, how: ReportOptions) -> None:
    from swarmops.compliance.render import render

    if how.output is not None:
        write_atomic(how.output, render(report, how.fmt, how.fail_on, root=how.root))
        from swarmops.compliance.render.table import summary_line

        emit_line(f"{summary_line(report)}; report written to {how.output}")
    elif how.fmt is ReportFormat.table:
        from rich.console import Console

        from swarmops.compliance.render.table import print_table

        print_table(report, Console())
    else:
        sys.stdout.write(render(report, how.fmt, how.fail_on, root=how.root))


class _LazyProgress:
    """A rich progress bar on stderr that appears only once a scan passes one second."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None and self._clock() - self._started >= PROGRESS_AFTER_S:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("scanning", total=total)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
