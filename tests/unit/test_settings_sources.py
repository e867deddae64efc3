"""Settings errors name their real source, unknown SWARMOPS_ variables are found, and every
YAML file the project reads refuses a duplicate key (issue 16, item 9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from deployments.serve import load_manifest
from swarmops.compliance.sources import load_rules
from swarmops.config_file import read_config
from swarmops.contracts import load_contract_files
from swarmops.errors import BadInput, ConfigError
from swarmops.fsm.machine import load_machine
from swarmops.fsm.registry import load_roster
from swarmops.health.config import load_probes
from swarmops.settings import load_settings, unknown_setting_variables

ROOT = Path(__file__).resolve().parents[2]
# Names written as examples: typos the warning is for, and the docstring's SWARMOPS_A__B.
EXAMPLES = {"SWARMOPS_STOR_URL", "SWARMOPS_COORDINATON__LEASE_S", "SWARMOPS_A__B"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("store_url", "environ", "file", "source"),
    [
        ("hello", {}, "", r"^--store-url: not a database URL: 'hello'$"),
        (None, {"SWARMOPS_STORE_URL": "nope"}, "store_url: fine\n", r"^SWARMOPS_STORE_URL: "),
        (None, {}, "store_url: nope\n", r"^.*s\.yaml: store_url: not a database URL"),
        (None, {"SWARMOPS_COORDINATION__LEASE_S": "nan"}, "", r"^SWARMOPS_COORDINATION__LEASE_S: "),
        (
            None,
            {"swarmops_progress__stall_after_h": "-1"},
            "",
            r"^swarmops_progress__stall_after_h: ",
        ),
        (None, {"SWARMOPS_HEALTH": '{"slo": 2}'}, "", r"^SWARMOPS_HEALTH: .*allowed: 0 < x <= 1"),
        (None, {}, "coordination: {lease_s: .inf}\n", r"s\.yaml: coordination\.lease_s: .*allowed"),
        (None, {}, "backup: {keep_last: 10000000}\n", r"s\.yaml: backup\.keep_last: "),
        (None, {}, "coordination: {leas_s: 3}\n", r"s\.yaml: coordination\.leas_s: Extra inputs"),
    ],
)
def test_an_error_names_the_source_that_set_the_value(
    tmp_path: Path, store_url: str | None, environ: dict[str, str], file: str, source: str
) -> None:
    config = write(tmp_path / "s.yaml", file or "{}\n")
    with pytest.raises(ConfigError, match=source):
        load_settings(config, store_url=store_url, environ=environ)


def test_each_of_two_bad_sources_is_named_on_one_line(tmp_path: Path) -> None:
    config = write(tmp_path / "s.yaml", "coordination: {max_attempts: 0}\n")
    with pytest.raises(ConfigError) as refused:
        load_settings(config, environ={"SWARMOPS_HEALTH__SLO": "inf"})
    message = refused.value.message
    assert "\n" not in message
    assert "s.yaml: coordination.max_attempts" in message and "SWARMOPS_HEALTH__SLO" in message


def test_only_misspelt_variables_are_unknown() -> None:
    environ = {
        "SWARMOPS_STOR_URL": "x",
        "SWARMOPS_COORDINATON__LEASE_S": "1",
        "SWARMOPS_STORE_URL": "sqlite:///x.db",
        "SWARMOPS_COORDINATION__LEASE_S": "1",
        "SWARMOPS_API_URL": "http://h",
        "swarmops_token": "t",
        "PATH": "/bin",
    }
    assert unknown_setting_variables(environ) == [
        "SWARMOPS_COORDINATON__LEASE_S",
        "SWARMOPS_STOR_URL",
    ]


def test_no_variable_the_project_reads_is_unknown() -> None:
    """Every SWARMOPS_ name written in the project is a setting or one it reads on purpose."""
    places = ["swarmops", "flows", "tasks", "deployments", "benchmarks", "integrations", "tests"]
    files = [
        p
        for place in places
        for p in (ROOT / place).rglob("*")
        if p.suffix in {".py", ".yaml", ".yml", ".sh", ".json", ".md"}
    ]
    files += [
        ROOT / "Makefile",
        ROOT / "README.md",
        *(ROOT / ".ci").rglob("*"),
        *(ROOT / ".github").rglob("*.yml"),
    ]
    names = {
        name.rstrip("_")
        for path in files
        if path.is_file()
        for name in re.findall(r"SWARMOPS_[A-Z0-9_]*[A-Z0-9]", path.read_text(errors="ignore"))
    }
    assert unknown_setting_variables(dict.fromkeys(names - EXAMPLES, "")) == []


LOADERS: list[tuple[str, Callable[[Path], Any], str]] = [
    ("swarmops.yaml", read_config, "store_url: a\nstore_url: b\n"),
    ("agents.yaml", load_roster, "agents:\n  - {id: a1, role: dev, role: ops}\n"),
    ("fsm.yaml", load_machine, "initial: A\ninitial: B\nstates: [A, B]\n"),
    ("probes.yaml", load_probes, "probes: []\nprobes: []\n"),
    ("rules.yaml", load_rules, "version: 1\nversion: 1\n"),
    ("prefect.yaml", load_manifest, "deployments: []\ndeployments: []\n"),
]


@pytest.mark.parametrize(("name", "loader", "text"), LOADERS)
def test_every_yaml_file_refuses_a_duplicate_key(
    tmp_path: Path, name: str, loader: Callable[[Path], Any], text: str
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises((BadInput, yaml.YAMLError), match=r"duplicate key '\w+' \(line \d\)"):
        loader(path)


def test_a_contract_file_refuses_a_duplicate_key(tmp_path: Path) -> None:
    write(tmp_path / "c1.yaml", "id: c1\ntitle: one\nowner: a1\nowner: a2\n")
    with pytest.raises(
        BadInput, match=r"c1\.yaml: cannot read contract: duplicate key 'owner' \(line 4\)"
    ):
        load_contract_files(tmp_path)


@pytest.mark.parametrize("text", ['fsm: "a\\0b"\n', 'agents: x\n"k\\0": 1\n', 'roots: ["\\0"]\n'])
def test_a_nul_in_any_string_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match=r"a NUL character .* \(line \d\)"):
        read_config(write(tmp_path / "s.yaml", text))


def test_a_merge_key_may_still_override_what_it_merges(tmp_path: Path) -> None:
    text = "base: &b {lease_s: 5}\ncoordination:\n  <<: *b\n  lease_s: 6\n"
    assert read_config(write(tmp_path / "s.yaml", text))["coordination"] == {"lease_s": 6}


def test_no_yaml_is_read_but_through_the_strict_loader() -> None:
    """The one loader: no module parses YAML with PyYAML's own (last-wins) loaders."""
    sources = [
        p
        for place in ("swarmops", "flows", "tasks", "deployments")
        for p in (ROOT / place).rglob("*.py")
    ]
    found = [
        p.name
        for p in sources
        if p.name != "yaml_strict.py"
        and re.search(r"yaml\.(safe_load|load|full_load|unsafe_load)\(", p.read_text())
    ]
    assert found == []
