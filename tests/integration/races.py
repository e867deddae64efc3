"""Races between real processes running the CLI.

``race`` starts one long-lived process per argument list (spawned: a fresh
interpreter, its own engine and connections) and runs the commands round after
round. A barrier lines the processes up before each round, so their commands
start within a millisecond of each other instead of after an interpreter
start-up apart; between rounds the test process inspects the store. A command's
result is its exit code, stdout and stderr, or the traceback that escaped
``swarmops.cli.main``.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

TIMEOUT_S = 120


class Outcome(NamedTuple):
    """What one command of one round did."""

    code: int
    stdout: str
    stderr: str
    traceback: str | None = None


def run_cli(args: Sequence[str]) -> Outcome:
    """``swarmops ARGS`` in this process, its output captured."""
    from swarmops.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            return Outcome(int(exc.code or 0), out.getvalue(), err.getvalue())
        except BaseException:  # the escape is the finding: report it, never hide it
            return Outcome(-1, out.getvalue(), err.getvalue(), traceback.format_exc())
    return Outcome(0, out.getvalue(), err.getvalue())


def _worker(args: list[list[str]], barrier: Any, results: Any, index: int) -> None:
    try:
        for number, command in enumerate(args):
            barrier.wait(TIMEOUT_S)
            results.put((number, index, run_cli(command)))
            barrier.wait(TIMEOUT_S)
    except threading.BrokenBarrierError:
        return  # the test process gave up on the race and says why


def race(
    commands: Sequence[Sequence[Sequence[str]]],
    between: Callable[[int, list[Outcome]], None] = lambda _n, _o: None,
) -> list[list[Outcome]]:
    """Run ``commands[w][r]`` in process ``w`` at round ``r``, all processes at once per
    round; ``between(r, outcomes)`` runs after each round. The outcomes by round."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(commands) + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=([list(c) for c in own], barrier, results, index))
        for index, own in enumerate(commands)
    ]
    for worker in workers:
        worker.start()
    try:
        return [
            _round(number, barrier, results, len(workers), between)
            for number in range(len(commands[0]))
        ]
    except BaseException:
        barrier.abort()  # a failed round: the workers stop waiting for the next one
        raise
    finally:
        for worker in workers:
            worker.join(TIMEOUT_S)
            if worker.is_alive():
                worker.kill()


def _round(
    number: int,
    barrier: Any,
    results: Any,
    workers: int,
    between: Callable[[int, list[Outcome]], None],
) -> list[Outcome]:
    barrier.wait(TIMEOUT_S)  # go
    barrier.wait(TIMEOUT_S)  # every command of the round has finished
    got = sorted(results.get(timeout=TIMEOUT_S) for _ in range(workers))
    assert [(n, i) for n, i, _ in got] == [(number, i) for i in range(workers)]
    outcomes = [outcome for _, _, outcome in got]
    between(number, outcomes)
    return outcomes
