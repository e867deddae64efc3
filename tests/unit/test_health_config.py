"""The probes file: every kind parses, paths resolve, bad files are one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.errors import ConfigError
from swarmops.gateway.server import DEFAULT_PORT
from swarmops.health import load_probes
from swarmops.health.specs import DiskProbe, HttpProbe

CONFIG = Path(__file__).resolve().parents[2] / "config" / "health.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "health.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_kind_parses_and_disabled_probes_are_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
probes:
  - {name: web, kind: http, url: "http://127.0.0.1:1/", timeout_s: 1, latency_budget_s: 0.1}
  - {name: port, kind: tcp, host: 127.0.0.1, port: 22}
  - {name: db, kind: store}
  - {name: prefect, kind: prefect, optional: true}
  - {name: disk, kind: disk, path: data, min_free_ratio: 0.1}
  - {name: scrape, kind: metrics, url: "http://127.0.0.1:9108/metrics", enabled: false}
""",
    )
    probes = load_probes(path)
    assert [p.kind for p in probes] == ["http", "tcp", "store", "prefect", "disk"]
    assert probes[3].optional and not probes[0].optional
    disk = probes[4]
    assert isinstance(disk, DiskProbe) and disk.path == (tmp_path / "data").resolve()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("probes:\n  - {name: x, kind: ftp}\n", "probes.0"),
        ("probes:\n  - {name: x, kind: tcp, host: h, port: 70000}\n", "port"),
        ("probes:\n  - {name: x, kind: store, timeout_s: 0}\n", "timeout_s"),
        ("probes:\n  - {name: x, kind: store}\n  - {name: x, kind: disk}\n", "duplicate"),
        ("probes: [\n", "cannot read probes"),
        ("", "no probes declared"),  # an empty file is not a passing health check
        ("# nothing yet\n", "no probes declared"),
        ("probes: []\n", "no probes declared"),
        ("probes:\n  - {name: x, kind: store, enabled: false}\n", "every probe is disabled"),
    ],
)
def test_a_bad_probes_file_is_one_config_error(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_probes(write(tmp_path, text))


def test_the_shipped_file_probes_only_local_targets() -> None:
    probes = load_probes(CONFIG)
    kinds = {p.kind for p in probes}
    assert {"store", "disk"} <= kinds
    (gateway,) = [p for p in probes if p.name == "gateway"]
    assert isinstance(gateway, HttpProbe)
    assert gateway.url == f"http://127.0.0.1:{DEFAULT_PORT}/readyz" and gateway.optional
    required = [p for p in probes if not p.optional]
    assert all(p.kind in {"store", "disk"} for p in required)


def test_a_probe_url_must_be_absolute_http(tmp_path: Path) -> None:
    path = write(tmp_path, "probes:\n  - {name: x, kind: http, url: 'localhost:80/health'}\n")
    with pytest.raises(ConfigError, match="not an http"):
        load_probes(path)
