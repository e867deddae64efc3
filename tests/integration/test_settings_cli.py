"""Settings at the command line (issue 16, item 9), on SQLite and PostgreSQL: the error
names its real source, a config naming a missing agents file or contracts folder is
refused before anything is written, and an unknown SWARMOPS_ variable is one warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.refusals import assert_refused, dump, swarmops

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("config", "missing"),
    [
        ("agents: nobody.yaml\n", "agents: "),
        ("contracts: nowhere\n", "contracts: "),
        (f"agents: {ROOT / 'config' / 'agents.yaml'}\ncontracts: gone/\n", "gone"),
    ],
)
def test_init_refuses_a_config_naming_a_missing_file(
    store, store_url: str, tmp_path: Path, config: str, missing: str
) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "swarmops.yaml", f"fsm: {ROOT / 'config' / 'fsm.yaml'}\n{config}")
    before = dump(store)
    result = swarmops("--config", str(path), "--store-url", store_url, "init", cwd=tmp_path)
    assert_refused(result, str(path), missing, "does not exist")
    assert dump(store) == before


@pytest.mark.parametrize(
    ("args", "env", "source"),
    [
        (["--store-url", "hello"], {}, "--store-url: "),
        ([], {"SWARMOPS_STORE_URL": "nope"}, "SWARMOPS_STORE_URL: "),
        ([], {"SWARMOPS_COORDINATION__MAX_ATTEMPTS": "0"}, "SWARMOPS_COORDINATION__MAX_ATTEMPTS: "),
    ],
)
def test_a_bad_value_names_its_source(
    tmp_path: Path, args: list[str], env: dict[str, str], source: str
) -> None:
    write(tmp_path / "swarmops.yaml", "store_url: sqlite:///fine.db\n")
    result = swarmops(
        "--config", str(tmp_path / "swarmops.yaml"), *args, "agent", "show", cwd=tmp_path, env=env
    )
    assert_refused(result, source)
    assert "swarmops.yaml" not in result.stderr


def test_an_unknown_variable_is_one_warning_line(store, store_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "SWARMOPS_STOR_URL": "sqlite:///typo.db",
        "SWARMOPS_AGENT": "a1",
        "SWARMOPS_REPOSITORY": ".",
    }
    result = swarmops("--store-url", store_url, "agent", "show", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "swarmops: warning: ignored, not a setting: SWARMOPS_STOR_URL"
    ]
    quiet = swarmops(
        "--store-url", store_url, "agent", "show", cwd=tmp_path, env={"SWARMOPS_AGENT": "a1"}
    )
    assert (quiet.returncode, quiet.stderr) == (0, "")


@pytest.mark.parametrize(
    ("agent", "mention"),
    [
        ('{id: a1, role: "a:b;c"}', "agents.0.role"),
        ('{id: " ", role: dev}', "agents.0.id"),
        ('{id: a1, role: ""}', "agents.0.role"),
        ("{id: a1, role: dev, capacity: 100000000000000000000}", "allowed: 0 <= x <= 10000"),
        ("{id: a1, role: dev, capacity: .nan}", "agents.0.capacity"),
        ("{id: a1, role: dev, role: ops}", "duplicate key 'role'"),
    ],
)
def test_init_refuses_a_roster_breaking_a_rule(
    store, store_url: str, tmp_path: Path, agent: str, mention: str
) -> None:  # type: ignore[no-untyped-def]
    roster = write(tmp_path / "agents.yaml", f"agents:\n  - {agent}\n")
    config = write(
        tmp_path / "swarmops.yaml", f"fsm: {ROOT / 'config' / 'fsm.yaml'}\nagents: {roster}\n"
    )
    before = dump(store)
    result = swarmops("--config", str(config), "--store-url", store_url, "init", cwd=tmp_path)
    assert_refused(result, "agents.yaml", mention)
    assert dump(store) == before
