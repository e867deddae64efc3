"""Ctrl-C stops a scan at once: exit 130 with one line, no traceback from the parent or
its workers, no report, baseline or cache written, no worker left running (issue 16,
item 10); a worker killed outright fails the scan the same way. Linux only: the test
finds the workers through /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

FUNCTION = "def f{n}(a, b):\n" + "    x = a + b\n" * 40
FILES, FUNCTIONS = 1200, 60  # ~44 MB: several seconds of work on two cores
STOPPED_WITHIN_S = 2.0  # about a second, with room for a loaded machine


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "src"
    text = "".join(FUNCTION.format(n=n) for n in range(FUNCTIONS))
    for index in range(FILES):
        folder = root / f"pkg{index % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{index}.py").write_text(text)
    return root


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the state on


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        fields = _stat(int(entry)) if entry.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid) or ["0"] * 13
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_scanning(process: subprocess.Popen[str], jobs: int) -> list[int]:
    """The worker pids once the pool is up (jobs > 1), or once the parent has spent more
    CPU than starting up takes (jobs == 1); fails if the scan ends first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        if (jobs > 1 and len(workers) >= jobs) or (jobs == 1 and cpu_seconds(process.pid) > 1.5):
            time.sleep(0.3)
            return workers
        time.sleep(0.05)
    raise AssertionError(f"the scan ended or never started: {process.poll()}")


def start(command: str, tree: Path, jobs: int, cwd: Path) -> subprocess.Popen[str]:
    """``swarmops compliance COMMAND`` of ``tree`` writing ``out.json``, in its own process
    group (as a terminal starts a command)."""
    args = ["-o", "out.json", "--jobs", str(jobs)]
    if command == "scan":
        args += ["--format", "json"]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    return subprocess.Popen(
        [sys.executable, "-m", "swarmops", "compliance", command, str(tree), *args],
        cwd=cwd,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill_if_running(process: subprocess.Popen[str]) -> None:
    """A scan that outlived its test goes, with its workers, and its pipes are closed."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


@pytest.mark.parametrize("to_group", [True, False], ids=["process-group", "parent-alone"])
@pytest.mark.parametrize(
    ("command", "jobs"),
    [("scan", 2), ("baseline", 2), ("scan", 1)],
    ids=["scan-workers", "baseline-workers", "scan-in-process"],
)
def test_ctrl_c_stops_the_scan_and_writes_nothing(
    big_tree: Path, tmp_path: Path, command: str, jobs: int, to_group: bool
) -> None:
    process = start(command, big_tree, jobs, tmp_path)
    try:
        workers = wait_until_scanning(process, jobs)
        sent = time.monotonic()
        if to_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        stopped_after = time.monotonic() - sent
    finally:
        kill_if_running(process)
    assert process.returncode == 130, err
    assert err.splitlines() == ["swarmops: error: interrupted: the scan stopped and wrote nothing"]
    assert stopped_after < STOPPED_WITHIN_S
    assert os.listdir(tmp_path) == []  # no report, baseline, cache or temporary file
    assert [pid for pid in workers if _stat(pid) is not None] == []


def test_a_worker_killed_mid_scan_is_one_line_not_a_hang(big_tree: Path, tmp_path: Path) -> None:
    """As the kernel's out-of-memory killer would: the scan fails at once, exit 1."""
    process = start("scan", big_tree, 2, tmp_path)
    try:
        os.kill(wait_until_scanning(process, 2)[0], signal.SIGKILL)
        _, err = process.communicate(timeout=30)
    finally:
        kill_if_running(process)
    assert process.returncode == 1, err
    assert err.splitlines() == ["swarmops: error: a scan worker died (killed, or out of memory?)"]
    assert os.listdir(tmp_path) == []
