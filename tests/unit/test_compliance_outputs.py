"""What a scan writes tells the truth and is written whole: JSON keeps each finding's
reason, SARIF paths are repository-relative, and reports and baselines are written
atomically with one mode (issue 16, item 13)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from swarmops.compliance import RuleSet, scan, write_baseline
from swarmops.compliance import fileio as fileio_module
from swarmops.compliance.fileio import check_target, write_atomic
from swarmops.compliance.models import ScanReport
from swarmops.compliance.render import ReportFormat, render
from swarmops.compliance.render.sarif import to_sarif
from swarmops.compliance.sources import rules_from_mapping
from swarmops.errors import BadInput

LONG = "def long():\n" + "    x = 1\n" * 31


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"def broken(:\n", "syntax error: "),
        (b"x = 1\x00\n", "contains NUL bytes"),
        (b"x = '\xff'\n", "bad encoding: "),
        (b"x = 1\n" * 50, "larger than 100 bytes"),
        (b"# swarmops: allow[file-lines]\nx = 1\n", "no reason given"),
    ],
)
def test_json_keeps_the_reason_of_every_finding_that_has_one(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    (tmp_path / "bad.py").write_bytes(data)
    rules = rules_from_mapping({"max_file_bytes": 100}, "t")
    [finding] = json.loads(render(scan([tmp_path], rules, jobs=1), ReportFormat.json))["findings"]
    assert finding["message"].startswith(reason)


def test_json_findings_without_a_reason_have_no_message_key(tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text(LONG)
    [finding] = json.loads(render(scan([tmp_path], jobs=1), ReportFormat.json))["findings"]
    assert "message" not in finding


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with code in a subfolder and a file whose name needs escaping."""
    for name in ("pkg/long.py", "pkg/with space#1.py"):
        (tmp_path / "repo" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "repo" / name).write_text(LONG)
    (tmp_path / "elsewhere").mkdir()
    return tmp_path / "repo"


def uris(report: ScanReport, root: Path | None = None) -> list[str]:
    sarif = to_sarif(report, root)
    assert "file:" not in json.dumps(sarif)
    locations = [r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]]
    assert {loc["artifactLocation"]["uriBaseId"] for loc in locations} == {"%SRCROOT%"}
    return sorted(loc["artifactLocation"]["uri"] for loc in locations)


@pytest.mark.parametrize(
    ("cwd", "given", "root", "expected"),
    [
        ("repo", "pkg", None, ["pkg/long.py", "pkg/with%20space%231.py"]),
        ("repo", "ABS/pkg", None, ["pkg/long.py", "pkg/with%20space%231.py"]),
        ("elsewhere", "ABS/pkg", None, ["long.py", "with%20space%231.py"]),
        ("elsewhere", "ABS", None, ["pkg/long.py", "pkg/with%20space%231.py"]),
        ("elsewhere", "ABS/pkg", "ABS", ["pkg/long.py", "pkg/with%20space%231.py"]),
        ("elsewhere", "ABS/pkg/long.py", "ABS", ["pkg/long.py"]),
        ("elsewhere", "ABS/pkg/long.py", None, ["long.py"]),
    ],
)
def test_sarif_uris_are_relative_to_the_repository_even_for_absolute_paths(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    cwd: str,
    given: str,
    root: str | None,
    expected: list[str],
) -> None:
    """Relative to --root, else the working directory, else the scanned root: never a
    machine's absolute path."""
    monkeypatch.chdir(repo.parent / cwd)
    report = scan([Path(given.replace("ABS", str(repo)))], jobs=1)
    base = Path(root.replace("ABS", str(repo))) if root else None
    assert uris(report, base) == expected


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_reports_and_baselines_have_one_mode_under_the_umask(
    tmp_path: Path, mask: int, mode: int
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "long.py").write_text(LONG)
    report = scan([tmp_path / "src"], jobs=1)
    os.umask(mask)
    write_baseline(report, tmp_path / "baseline.json")
    write_atomic(tmp_path / "report.sarif", render(report, ReportFormat.sarif))
    for name in ("baseline.json", "report.sarif"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("the old report\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio_module.os, "fsync", full_disk)
    with pytest.raises(BadInput, match=r"cannot write .*report\.json: No space left on device"):
        write_atomic(target, "x" * 100_000)
    assert os.listdir(tmp_path) == ["report.json"] and target.read_text() == "the old report\n"


def test_an_interrupted_write_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_baseline(scan([tmp_path], RuleSet(), jobs=1), tmp_path / "baseline.json")
    assert os.listdir(tmp_path) == []


def test_a_write_through_a_symlink_replaces_its_target_not_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old\n")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    write_atomic(tmp_path / "link.json", "new\n")
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "real.json").read_text() == "new\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (".", "it is a folder"),
        ("missing/report.json", "no such folder missing"),
        ("file.txt/report.json", "no such folder"),
        ("fifo", "not a regular file"),
    ],
)
def test_a_target_that_cannot_take_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x\n")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(BadInput, match=reason):
        check_target(Path(name))
    assert sorted(os.listdir(tmp_path)) == ["fifo", "file.txt"]
