"""Hostile trees: only regular files are read, and one file's measurement is bounded in
memory, not only in size (the scanner's side of issue 16, items 11 and 12)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from swarmops.compliance import scan
from swarmops.compliance.budget import Budget, over_budget
from swarmops.compliance.measure import measure_path, measure_source
from swarmops.compliance.rules import RuleSet
from swarmops.errors import BadInput

DEFAULT_PROFILE = RuleSet().profile_for("module.py")
BUDGET = RuleSet().max_file_tokens


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    """A root with one regular file and one of each thing that is not one."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.py").write_text("x = 1\n")
    os.mkfifo(root / "fifo.py")
    os.mkfifo(root / ".gitignore")  # read by discovery itself, not only by a worker
    (root / "to_fifo.py").symlink_to(root / "fifo.py")
    (root / "dangling.py").symlink_to(root / "gone.py")
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    (root / "to_dev_zero.py").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "sock.py"))
        yield root


@pytest.mark.timeout(30)
def test_only_regular_files_are_scanned_and_nothing_blocks(tree: Path) -> None:
    try:
        os.mknod(tree / "device.py", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero
        (tree / "to_device.py").symlink_to(tree / "device.py")
    except PermissionError:
        pass  # without CAP_MKNOD the device members are left out
    report = scan([tree], jobs=1)
    assert report.files == ["ok.py"] and report.findings == []


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["fifo.py", "to_fifo.py", "sock.py", "loop_a.py"])
def test_a_root_that_is_not_a_file_or_folder_is_refused(tree: Path, name: str) -> None:
    with pytest.raises(BadInput, match=r"not a regular file or folder|no such file"):
        scan([tree / name], jobs=1)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", ["fifo.py", "/dev/zero", "/dev/null"])
def test_a_file_swapped_after_discovery_is_reported_never_read(tree: Path, path: str) -> None:
    """The worker checks again after opening (without blocking): a FIFO or a device that
    took a file's place since discovery is a finding, not a hang or an endless read."""
    _, _, _, [finding] = measure_path((0, str(tree / path), 0, ""), DEFAULT_PROFILE, Budget(100))
    assert finding[0] == "parse-error" and finding[6] == "cannot read: not a regular file"


HUGE = {
    "one-line list": "x = [" + "1, " * 633_000 + "]\n",
    "one-line calls": "x = [" + "f(), " * 380_000 + "]\n",
    "many-line dict": "x = {\n" + "    1: 2,\n" * 180_000 + "}\n",
}
# The peak resident size of this process image: VmHWM starts afresh at exec, where
# ru_maxrss keeps the forking parent's (a long pytest run's hundreds of MB).
PEAK = (
    "import re, sys\nfrom pathlib import Path\nfrom swarmops.compliance import scan\n"
    "[f] = scan([Path(sys.argv[1])], jobs=1).findings\n"
    "status = Path('/proc/self/status').read_text()\n"
    "print(f.message, int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) // 1024)\n"
)


@pytest.mark.parametrize("shape", sorted(HUGE))
def test_a_file_of_too_many_tokens_is_a_finding_in_bounded_memory(
    tmp_path: Path, shape: str
) -> None:
    """About 2 MB of tokens took 600-950 MB to parse; reported unparsed, a scan of one such
    file stays near the interpreter's own size (the peak resident size of its process)."""
    (tmp_path / "huge.py").write_text(HUGE[shape])
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(tmp_path / "huge.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    message, peak_mb = done.stdout.rsplit(" ", 1)
    assert message == f"too complex to measure: more than {BUDGET} tokens"
    assert int(peak_mb) < 150, done.stdout


@pytest.mark.parametrize(
    ("source", "over"),
    [
        ("x = 1\n" * 10, False),  # fewer bytes than the budget
        ('"""' + "words in a docstring " * 2_000 + '"""\n', False),  # the guess is high
        ("# " + "comment words " * 2_000 + "\nx = 1\n", False),
        ("x = [" + "1, " * 3_000 + "]\n", True),
        ("y = a" + " + a" * 3_000 + "\n", True),
    ],
)
def test_the_token_budget_counts_syntax_not_text(source: str, over: bool) -> None:
    assert over_budget(source.encode(), 5_000) is over
    _, found = measure_source(source.encode(), DEFAULT_PROFILE, 5_000)
    assert any("too complex" in f[6] for f in found) is over
