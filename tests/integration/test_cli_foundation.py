"""The command line's contract: help, version, init, and the error convention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from swarmops import __version__
from tests.refusals import swarmops


def test_version_and_help_list_the_command_groups(tmp_path: Path) -> None:
    version = swarmops("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"swarmops {__version__}"
    helptext = swarmops("--help", cwd=tmp_path)
    assert helptext.returncode == 0
    assert "init" in helptext.stdout


def test_init_twice_changes_nothing_the_second_time(store_url: str, tmp_path: Path) -> None:
    first = swarmops("--store-url", store_url, "init", "--format", "json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = swarmops("--store-url", store_url, "init", "--format", "json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["changed"] is False
    assert report["revision_before"] == report["revision"]


@pytest.mark.parametrize(
    ("args", "config_text", "message"),
    [
        (["--store-url", "bogus://x", "init"], None, "unsupported scheme 'bogus'"),
        (["--config", "c.yaml", "init"], "surprise: true\n", "surprise: Extra inputs"),
        (
            ["--config", "c.yaml", "init"],
            "progress: {stall_after_h: never}\n",
            "progress.stall_after_h",
        ),
        (["--config", "missing.yaml", "init"], None, "config file not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], config_text: str | None, message: str
) -> None:
    if config_text is not None:
        (tmp_path / "c.yaml").write_text(config_text, encoding="utf-8")
    result = swarmops(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / ".swarmops").exists()  # nothing half-written


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = swarmops("--debug", "--store-url", "bogus://x", "init", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = swarmops("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
