"""Settings: file, environment and overrides in the documented order; bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.errors import ConfigError
from swarmops.settings import load_settings, normalise_store_url

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_repo_config_loads_with_paths_relative_to_its_folder() -> None:
    settings = load_settings(REPO_CONFIG, environ={})
    folder = REPO_CONFIG.parent
    assert settings.fsm == folder / "fsm.yaml"
    assert settings.contracts == folder / "contracts"
    assert settings.compliance.roots == [folder.parent]
    assert settings.metrics.textfile == folder.parent / ".swarmops" / "metrics.prom"
    assert settings.store_url == "sqlite:///.swarmops/swarmops.db"  # used as given


def test_environment_overrides_file_and_option_overrides_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "s.yaml", "store_url: sqlite:///from-file.db\nhealth: {slo: 0.99}\n")
    monkeypatch.setenv("SWARMOPS_STORE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("SWARMOPS_HEALTH__SLO", "0.95")
    assert load_settings(config).store_url == "sqlite:///from-env.db"
    assert load_settings(config).health.slo == 0.95
    overridden = load_settings(config, store_url="sqlite:///from-option.db")
    assert overridden.store_url == "sqlite:///from-option.db"


def test_defaults_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.config_file is None
    assert settings.coordination.max_body_bytes == 262144
    assert settings.progress.stall_after_h == 24


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope: 1\n", "nope: Extra inputs are not permitted"),
        ("coordination: {lease_s: soon}\n", "coordination.lease_s: Input should be a valid number"),
        ("health: {slo: 2}\n", "health.slo: Input should be less than or equal to 1"),
        ("store_url: bogus://x\n", "store_url: unsupported scheme 'bogus'"),
        ("- a list\n", "config must be a mapping"),
        ("key: [unclosed\n", "cannot read config"),
    ],
)
def test_bad_config_names_the_key_and_reason(tmp_path: Path, text: str, message: str) -> None:
    config = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as caught:
        load_settings(config, environ={})
    assert str(config) in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.yaml", environ={})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_store_urls_are_normalised(url: str, expected: str) -> None:
    assert normalise_store_url(url) == expected


@pytest.mark.parametrize("url", ["bogus://x", "mysql://h/db", "not a url", "sqlite://"])
def test_unsupported_store_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        normalise_store_url(url)


def test_other_swarmops_variables_are_not_settings(tmp_path: Path) -> None:
    config = write(tmp_path / "s.yaml", "health: {slo: 0.99}\n")
    environ = {"SWARMOPS_TEST_PG_URL": "postgresql://x/y", "SWARMOPS_CONFIG": str(config)}
    assert load_settings(environ=environ).health.slo == 0.99


def test_bad_environment_value_names_the_variable_key() -> None:
    with pytest.raises(ConfigError, match=r"^SWARMOPS_COORDINATION__LEASE_S: "):
        load_settings(environ={"SWARMOPS_COORDINATION__LEASE_S": "soon"})
