"""The compliance commands refuse bad paths and nonsensical rules files: exit 2, one line
naming the flag, file or key, no traceback, and nothing written or created."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.refusals import assert_refused, swarmops

LONG = "def long():\n" + "    x = 1\n" * 30


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "long.py").write_text(LONG)
    (tmp_path / "folder").mkdir()
    return tmp_path


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["scan", "src", "-o", "folder"], ["folder", "it is a folder"]),
        (["scan", "src", "--format", "sarif", "-o", "."], ["it is a folder"]),
        (["scan", "src", "-o", "missing/r.json"], ["missing/r.json", "no such folder"]),
        (["scan", "src", "-o", "src/long.py/r.json"], ["no such folder"]),
        (["baseline", "src", "-o", "folder"], ["it is a folder"]),
        (["baseline", "src", "-o", "missing/deeper/b.json"], ["no such folder"]),
        (["scan", "src", "-o", "/dev/null"], ["not a regular file"]),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_scan(
    work: Path, args: list[str], mentions: list[str]
) -> None:
    before = tree(work)
    assert_refused(swarmops("compliance", *args, cwd=work), *mentions)
    assert tree(work) == before  # no folder made, no report, no cache


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["scan", ""], "PATH"),
        (["scan", "src", ""], "PATH"),
        (["baseline", "", "-o", "b.json"], "PATH"),
        (["scan", "src", "-o", ""], "--output"),
        (["baseline", "src", "-o", ""], "--output"),
        (["scan", "src", "--baseline", ""], "--baseline"),
        (["scan", "src", "--rules", ""], "--rules"),
        (["scan", "src", "--root", ""], "--root"),
    ],
)
def test_an_empty_path_is_refused_never_the_working_directory(
    work: Path, args: list[str], flag: str
) -> None:
    before = tree(work)
    assert_refused(swarmops("compliance", *args, cwd=work), flag, "empty")
    assert tree(work) == before


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--root", "nowhere"], ["--root nowhere", "no such folder"]),
        (["--root", "src/long.py"], ["no such folder"]),
        (["--root", "folder"], ["src is outside it"]),
    ],
)
def test_a_root_must_be_a_folder_holding_every_scanned_path(
    work: Path, args: list[str], mentions: list[str]
) -> None:
    result = swarmops("compliance", "scan", "src", "--format", "sarif", *args, cwd=work)
    assert_refused(result, *mentions)


def test_a_fifo_root_is_refused_and_a_fifo_inside_is_skipped(work: Path) -> None:
    os.mkfifo(work / "src" / "pipe.py")
    assert_refused(swarmops("compliance", "scan", "src/pipe.py", cwd=work), "src/pipe.py")
    done = swarmops("compliance", "scan", "src", "--fail-on", "never", "--no-cache", cwd=work)
    assert done.returncode == 0 and "1 files" in done.stdout


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        ({"version": 3}, "version"),
        ({"version": "2"}, "version"),
        ({"version": None}, "version"),
        ({"include": []}, "include"),
        ({"include": "*.py"}, "include"),
        ({"exclude": [1]}, "exclude.0"),
        ({"max_file_bytes": 0}, "max_file_bytes"),
        ({"max_file_bytes": 10**12}, "max_file_bytes"),
        ({"max_file_tokens": -5}, "max_file_tokens"),
        ({"rules": {"no-such-rule": {"limit": 1}}}, "unknown rule(s) no-such-rule"),
        ({"rules": {"file-lines": {"limit": -1}}}, "rules.file-lines.limit"),
        ({"rules": {"file-lines": {"limit": "400"}}}, "rules.file-lines.limit"),
        ({"rules": {"file-lines": {"limit": True}}}, "rules.file-lines.limit"),
        ({"rules": {"file-lines": {"limit": 4.5}}}, "rules.file-lines.limit"),
        ({"rules": {"class-lines": {"limit": 1, "critical_factor": ".inf"}}}, "critical_factor"),
        ({"rules": {"class-lines": {"limit": 1, "enabled": "no"}}}, "enabled"),
        ({"rules": {"class-lines": {"limit": 1, "severity": "fatal"}}}, "severity"),
        ({"rules": {"file-lines": None}}, "rules.file-lines"),
        ({"overrides": [{"paths": ["a/**"], "rules": {}, "reason": "x"}]}, "overrides.0.rules"),
        ({"gui": {"globs": "gui/"}}, "gui.globs"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_nonsensical_rules_file_names_its_key(
    work: Path, rules: dict[str, object], key: str
) -> None:
    text = yaml.safe_dump(rules).replace("'.inf'", ".inf")
    (work / "rules.yaml").write_text(text)
    result = swarmops("compliance", "scan", "src", "--rules", "rules.yaml", cwd=work)
    assert_refused(result, "rules.yaml", key)
