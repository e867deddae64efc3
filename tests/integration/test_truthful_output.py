"""What the command line prints is true: a health summary counts every target, a store
that cannot be opened fails its probe without hiding the others, a probes file with no
probe is refused, errors name the agent or contract they are about, and tables sent to
a pipe are whole. Store cases run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from swarmops.bootstrap import initialise
from swarmops.cli.app import main
from swarmops.cli.context import CliContext
from swarmops.settings import load_settings
from tests.refusals import assert_refused, dump_url, swarmops

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
PROBES = """probes:
  - {name: store, kind: store}
  - {name: disk, kind: disk, path: ., min_free_bytes: 1}
  - {name: prefect, kind: prefect, optional: true}
"""


def configured(tmp_path: Path, probes: str) -> Path:
    (tmp_path / "health.yaml").write_text(probes, encoding="utf-8")
    path = tmp_path / "swarmops.yaml"
    path.write_text("health: {probes: health.yaml, slo: 0.99}\nmetrics: {textfile: null}\n")
    return path


@pytest.fixture
def initialised(store_url: str) -> str:
    initialise(load_settings(CONFIG, store_url=store_url, environ={}))
    return store_url


def test_the_health_summary_counts_an_optional_target_down(
    initialised: str, tmp_path: Path
) -> None:
    config = configured(tmp_path, PROBES)
    args = ("--config", str(config), "--store-url", initialised, "health", "check")
    table = swarmops(*args, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "3 targets: 2 up, 1 optional down (prefect)" in table.stdout
    assert "all up" not in table.stdout
    document = json.loads(swarmops(*args, "--format", "json", cwd=tmp_path).stdout)
    assert document["summary"] == "3 targets: 2 up, 1 optional down (prefect)"
    assert (document["ok"], document["not_stored"]) == (True, None)


@pytest.mark.parametrize("where", ["missing.db", "no/such/dir/x.db"])
def test_a_store_that_cannot_be_opened_fails_its_probe_and_the_others_run(
    tmp_path: Path, where: str
) -> None:
    config = configured(tmp_path, PROBES)
    url = f"sqlite:///{tmp_path / where}"
    before = sorted(tmp_path.rglob("*"))
    args = ("--config", str(config), "--store-url", url, "health", "check", "--format", "json")
    checked = swarmops(*args, cwd=tmp_path)
    assert checked.returncode == 1 and checked.stderr == "", checked.stderr
    results = {r["target"]: r for r in json.loads(checked.stdout)["results"]}
    assert results["disk"]["ok"] and not results["store"]["ok"]
    assert results["store"]["detail"] == f"no store at {url} (no such file), run swarmops init"
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    "probes",
    ["", "# none yet\n", "probes: []\n", "probes:\n  - {name: s, kind: store, enabled: false}\n"],
)
def test_a_probes_file_without_a_probe_is_refused(
    initialised: str, tmp_path: Path, probes: str
) -> None:
    config = configured(tmp_path, probes)
    before = dump_url(initialised)
    args = ("--config", str(config), "--store-url", initialised, "health", "check")
    checked = swarmops(*args, cwd=tmp_path)
    assert_refused(checked, "health.yaml", "a health check needs at least one probe")
    assert dump_url(initialised) == before


@pytest.mark.parametrize(
    ("args", "about"),
    [
        (("agent", "transition", "agent-1", "PAUSED"), "agent 'agent-1': ONBOARDING -> PAUSED"),
        (("agent", "transition", "agent-1", "NAPPING"), "agent 'agent-1': unknown state"),
        (("agent", "transition", "agent-1", "OFFLINE"), "agent-1: ONBOARDING -> OFFLINE"),
        (("contract", "status", "C-101", "DONE", "--actor", "ops"), "contract 'C-101': ASSIGNED"),
        (("contract", "status", "C-101", "LATER", "--actor", "ops"), "contract 'C-101': unknown"),
        (("agent", "heartbeat", "ghost"), "unknown agent 'ghost'"),
    ],
)
def test_a_refusal_names_the_agent_or_contract(
    initialised: str, tmp_path: Path, args: tuple[str, ...], about: str
) -> None:
    before = dump_url(initialised)
    refused = swarmops("--config", str(CONFIG), "--store-url", initialised, *args, cwd=tmp_path)
    assert_refused(refused, about)
    assert dump_url(initialised) == before


def test_a_table_sent_to_a_pipe_is_not_cut_to_80_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    base = ("--config", str(CONFIG), "--store-url", url)
    assert swarmops(*base, "init", cwd=tmp_path).returncode == 0
    skills = ",".join(f"skill-number-{n}" for n in range(12))
    register = ("agent", "register", "wide-agent", "--role", "a-role-with-a-long-name")
    assert swarmops(*base, *register, "--skills", skills, cwd=tmp_path).returncode == 0
    shown = swarmops(*base, "agent", "show", cwd=tmp_path)
    assert shown.returncode == 0 and "…" not in shown.stdout
    assert ",".join(sorted(skills.split(","))) in shown.stdout  # the cell is whole
    assert "a-role-with-a-long-name" in shown.stdout and "ONBOARDING" in shown.stdout


@pytest.mark.parametrize("args", [("agent", "show"), ("health", "check"), ("serve",)])
def test_ctrl_c_is_one_line_and_exit_130(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(_self: CliContext) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(CliContext, "store", interrupted)
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(CONFIG), *args])
    assert exited.value.code == 130 and capsys.readouterr().err == "swarmops: interrupted\n"
