"""The compliance command line end to end: gate exit codes, baselines, formats,
rule sources, blame, and recording a run in both stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from swarmops.cli.app import main
from swarmops.compliance import compare_to_baseline, load_baseline, record_run, scan
from swarmops.store import Store
from swarmops.store.schema import compliance_runs, findings

REPO = Path(__file__).resolve().parents[2]
LONG = "def long():\n" + "    x = 1\n" * 30
MANY_PARAMS = "def wide(a, b, c, d, e, f):\n    pass\n"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with no swarmops config, as the working directory."""
    for key in list(os.environ):
        if key.startswith("SWARMOPS_") or key == "CI":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "long.py").write_text(LONG)
    (tmp_path / "src" / "wide.py").write_text(MANY_PARAMS)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


class TestGate:
    """Exit codes: 0 clean, 1 a gated finding is new, 2 bad input."""

    @pytest.mark.parametrize(
        ("fail_on", "code"), [("critical", 0), ("major", 1), ("minor", 1), ("never", 0)]
    )
    def test_gate_exit_codes(
        self, work: Path, capsys: pytest.CaptureFixture[str], fail_on: str, code: int
    ) -> None:
        status, out, err = run(capsys, "compliance", "scan", "src", "--fail-on", fail_on)
        assert status == code
        assert "long.py" in out and "compliance rate 50.0%" in out.replace("\n", " ")
        if code:
            assert err.count("\n") == 1 and "compliance gate failed" in err

    def test_baseline_then_only_new_findings_fail(
        self, work: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, out, _ = run(capsys, "compliance", "baseline", "src", "-o", "base.json")
        assert status == 0 and "wrote 2 fingerprints of 2 files" in out
        status, out, _ = run(
            capsys, "compliance", "scan", "src", "--baseline", "base.json", "--format", "json"
        )
        assert status == 0
        assert json.loads(out)["summary"]["known"] == 2
        (work / "src" / "more.py").write_text(LONG)
        status, out, err = run(
            capsys, "compliance", "scan", "src", "--baseline", "base.json", "--format", "json"
        )
        data = json.loads(out)
        assert status == 1 and "1 new finding(s) at or above major" in err
        assert [f["path"] for f in data["findings"] if f["status"] == "new"] == ["more.py"]

    def test_the_ratchet_passes_what_improved_and_fails_what_got_worse(
        self, work: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        (work / "src" / "long.py").write_text(LONG + "    x = 1\n" * 40)  # 71 lines: critical
        run(capsys, "compliance", "baseline", "src", "-o", "base.json")
        (work / "src" / "long.py").write_text(LONG + "    x = 1\n" * 10)  # 41 lines: major
        scan_args = ("compliance", "scan", "src", "--baseline", "base.json", "--fail-on", "minor")
        status, out, err = run(capsys, *scan_args, "--format", "json")
        [long] = [f for f in json.loads(out)["findings"] if f["path"] == "long.py"]
        assert (status, err) == (0, "")
        assert (long["status"], long["severity"], long["baseline_value"]) == (
            "improved",
            "major",
            71,
        )
        (work / "src" / "long.py").write_text(LONG + "    x = 1\n" * 45)  # 76 lines
        status, _, err = run(capsys, *scan_args)
        assert status == 1 and err.count("\n") == 1
        assert "1 worse than the baseline" in err
        assert "long.py: long: function-lines 76 > 30 (worse than its baseline value 71)" in err

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["compliance", "scan", "missing"], "no such file or folder: missing"),
            (["compliance", "scan", "src", "--rules", "bad.yaml"], "bad.yaml: rules.file-lines"),
            (["compliance", "scan", "src", "--baseline", "none.json"], "baseline not found"),
        ],
    )
    def test_bad_input_is_one_line_and_exit_2(
        self, work: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
    ) -> None:
        (work / "bad.yaml").write_text("rules: {file-lines: {limit: lots}}\n")
        status, _, err = run(capsys, *args)
        assert status == 2 and err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("sarif", '"version": "2.1.0"'),
        ("junit", "<testsuites>"),
        ("markdown", "## swarmops compliance"),
    ],
)
def test_formats_to_stdout_and_to_a_file(
    work: Path, capsys: pytest.CaptureFixture[str], fmt: str, marker: str
) -> None:
    _, out, _ = run(capsys, "compliance", "scan", "src", "--format", fmt, "--fail-on", "never")
    assert marker in out
    _, out, _ = run(capsys, "compliance", "scan", "src", "--format", fmt, "-o", f"r.{fmt}")
    assert marker in (work / f"r.{fmt}").read_text() and "report written to" in out


def test_rules_from_pyproject_when_no_config(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "src" / "pyproject.toml").write_text(
        "[tool.swarmops.compliance.rules]\nfunction-lines = {limit = 40}\nfunction-params = {limit = 6}\n"
    )
    assert run(capsys, "compliance", "scan", "src", "--fail-on", "minor")[0] == 0


def test_blame_names_the_commit_author(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "agent-7",
        "GIT_AUTHOR_EMAIL": "a7@swarm",
        "GIT_COMMITTER_NAME": "lead",
        "GIT_COMMITTER_EMAIL": "lead@swarm",
    }
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "add code"]):
        subprocess.run(["git", *command], cwd=work / "src", env=env, check=True)
    _, out, _ = run(capsys, "compliance", "scan", "src", "--blame", "--format", "json")
    blames = [f["blame"] for f in json.loads(out)["findings"]]
    assert len(blames) == 2 and all(b["author"] == "agent-7 <a7@swarm>" for b in blames)


def test_subprocess_gate_and_light_imports(work: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    probe = (
        "import sys; from swarmops.cli.app import main\n"
        "try:\n    main(['compliance', 'scan', 'src', '--format', 'json'])\n"
        "except SystemExit as e:\n"
        "    heavy = [m for m in ('pandas', 'prefect', 'great_expectations') if m in sys.modules]\n"
        "    print(heavy, file=sys.stderr); raise\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=work,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and json.loads(done.stdout)["files"] == 2
    assert done.stderr.strip().endswith("[]")


def test_record_run_writes_the_run_and_its_findings(store: Store, tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text(LONG)
    (tmp_path / "wide.py").write_text(MANY_PARAMS)
    baseline = tmp_path / "b.json"
    baseline.write_text(json.dumps({"version": 1, "findings": []}))
    report = compare_to_baseline(scan([tmp_path], jobs=1), load_baseline(baseline))
    with store.unit() as conn:
        run_id = record_run(conn, report, "scan")
    with store.unit(read_only=True) as conn:
        run_row = conn.execute(sa.select(compliance_runs)).one()
        rows = conn.execute(sa.select(findings).order_by(findings.c.path)).all()
    assert run_row.id == run_id and (run_row.files, run_row.new_findings) == (2, 2)
    assert run_row.compliance_rate == pytest.approx(0.5)
    assert [(r.path, r.rule, r.is_new, r.value) for r in rows] == [
        ("long.py", "function-lines", True, 31),
        ("wide.py", "function-params", True, 6),
    ]


def test_pre_commit_hook_runs_the_gate() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "swarmops-compliance"]
    assert hook["entry"].startswith("swarmops compliance scan") and hook["language"] == "python"
    assert hook["types"] == ["python"]


def test_progress_bar_appears_only_after_a_second(capsys: pytest.CaptureFixture[str]) -> None:
    from swarmops.cli.compliance import _LazyProgress

    now = [0.0]
    progress = _LazyProgress(clock=lambda: now[0])
    progress(1, 10)
    assert progress._bar is None  # a short scan shows nothing
    now[0] = 1.5
    progress(5, 10)
    assert progress._bar is not None and progress._bar.tasks[0].completed == 5
    progress.close()
