"""``swarmops health check|report`` as a subprocess: JSON shape, exit codes, bad input."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.cli.app import main
from swarmops.store import open_store
from swarmops.store.schema import alerts, outbox
from tests.refusals import swarmops

pytestmark = pytest.mark.slow


def config(tmp_path: Path, probes: str) -> Path:
    (tmp_path / "health.yaml").write_text(probes, encoding="utf-8")
    path = tmp_path / "swarmops.yaml"
    path.write_text("health: {probes: health.yaml, slo: 0.99}\nmetrics: {textfile: null}\n")
    return path


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


LOCAL = """probes:
  - {name: store, kind: store}
  - {name: disk, kind: disk, path: ., min_free_bytes: 1}
  - {name: prefect, kind: prefect, optional: true}
"""


def test_check_passes_then_fails_and_report_counts_both(tmp_path: Path) -> None:
    """SQLite only: the stored arithmetic runs on both databases in test_health_store."""
    passing = config(tmp_path, LOCAL)
    store_url = f"sqlite:///{tmp_path / 's.db'}"
    open_store(store_url, create=True).dispose()
    base = ("--config", str(passing), "--store-url", store_url)
    ok = swarmops(*base, "health", "check", "--format", "json", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    document = json.loads(ok.stdout)
    assert document["ok"] is True
    assert [r["target"] for r in document["results"]] == ["store", "disk", "prefect"]
    assert set(document["results"][0]) >= {"target", "kind", "ok", "latency_s", "detail", "at"}

    config(
        tmp_path, LOCAL + f"  - {{name: gone, kind: tcp, host: 127.0.0.1, port: {closed_port()}}}\n"
    )
    failing = swarmops(*base, "health", "check", cwd=tmp_path)
    assert failing.returncode == 1 and "gone" in failing.stdout

    report = swarmops(*base, "health", "report", "--format", "json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    rows = {(r["target"], r["window"]): r for r in json.loads(report.stdout)["rows"]}
    assert rows[("store", "24h")]["uptime"] == 1.0 and rows[("store", "24h")]["probes"] == 2
    assert rows[("gone", "1h")]["uptime"] == 0.0 and rows[("gone", "1h")]["meets_slo"] is False


def test_a_bad_probes_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = config(tmp_path, "probes:\n  - {name: x, kind: ftp}\n")
    store = f"sqlite:///{tmp_path / 's.db'}"
    result = swarmops("--config", str(bad), "--store-url", store, "health", "check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "health.yaml" in result.stderr


def test_a_failing_probe_s_alert_reaches_the_outbox_once(
    tmp_path: Path, store, store_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Both databases, in-process: one open alert and one outbox row carrying its id;
    the second failing round adds neither."""
    port = closed_port()
    probes = config(
        tmp_path, f"probes:\n  - {{name: gone, kind: tcp, host: 127.0.0.1, port: {port}}}\n"
    )
    for _ in range(2):
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(probes), "--store-url", store_url, "health", "check"])
        assert exit_.value.code == 1 and "gone" in capsys.readouterr().out
        with store.unit(read_only=True) as unit:
            [alert] = unit.execute(sa.select(alerts)).all()
            [event] = unit.execute(sa.select(outbox)).all()
        assert (alert.kind, alert.resource_id, alert.resolved_at) == ("probe.failed", "gone", None)
        assert (event.event, event.resource_kind, event.resource_id) == (
            "swarmops.probe.failed",
            "probe",
            "gone",
        )
        assert event.alert_id == alert.id and event.payload["alert_id"] == alert.id
