"""The scan's worker processes: started so Ctrl-C stays the parent's, stopped at once.

Workers ignore SIGINT, so a Ctrl-C to the whole process group prints no traceback from
any of them; the parent stops the pool without waiting for its queued chunks.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from swarmops.compliance.measure import scan_chunk


def start_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` workers that leave Ctrl-C to the parent."""
    return ProcessPoolExecutor(jobs, mp_context=pool_context(), initializer=_ignore_sigint)


def pool_context() -> multiprocessing.context.BaseContext:
    """fork (cheapest, and no main-module guard needed); a fork server where Python
    deprecates forking a threaded process (3.12+ inside Prefect's task threads)."""
    methods = multiprocessing.get_all_start_methods()
    threaded = threading.active_count() > 1 and sys.version_info >= (3, 12)
    if "fork" in methods and not threaded:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([scan_chunk.__module__])
        return context
    return multiprocessing.get_context("spawn")


def _ignore_sigint() -> None:
    """A worker's start: Ctrl-C is the parent's to handle (see ``terminate``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, not after its queued chunks: on Ctrl-C (to the parent alone or to
    its whole process group; the workers ignore SIGINT, so none prints a traceback) or
    any error, the queue is cancelled and the workers are killed."""
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if stop is not None:
        stop()
        return
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)
