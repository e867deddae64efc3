"""``swarmops backup`` end to end (in process) on SQLite and PostgreSQL: what each bad
input gets, a flipped byte failing verification by name, a non-empty target refused,
``--force`` replacing it, a missing ``pg_dump`` named with exit 2."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from swarmops.backup.manifest import read_manifest, sha256_of, write_json
from swarmops.cli import main
from swarmops.metrics.snapshot import read_snapshot
from swarmops.store import open_store
from swarmops.store.copies import store_census

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(
    store_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    """``swarmops --config config/swarmops.yaml --store-url URL …``, backups under tmp."""
    monkeypatch.setenv("SWARMOPS_BACKUP__DIRECTORY", str(tmp_path / "backups"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = 0
        try:
            main(["--config", str(CONFIG), "--store-url", store_url, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    assert run("init").returncode == 0
    return run


def created(cli: Run) -> dict[str, str]:
    done = cli("backup", "create", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_create_verify_list_and_prune(cli: Run, tmp_path: Path) -> None:
    manifest = created(cli)
    assert (tmp_path / "backups" / manifest["file"]).stat().st_mode & 0o777 == 0o600
    verified = cli("backup", "verify", manifest["name"])
    assert verified.returncode == 0, verified.stderr
    assert "agent log replayed (8 agents" in verified.stdout
    assert "contract log replayed (5 contracts" in verified.stdout
    listed = json.loads(cli("backup", "list", "--format", "json").stdout)
    assert [(b["name"], b["verified"]) for b in listed] == [(manifest["name"], True)]
    assert cli("backup", "prune", "--format", "json").stdout.count(manifest["name"]) == 1


def test_a_flipped_byte_fails_verify_by_name_and_is_never_restored(
    cli: Run, store_url: str, tmp_path: Path
) -> None:
    manifest = created(cli)
    data = tmp_path / "backups" / manifest["file"]
    content = bytearray(data.read_bytes())
    content[len(content) // 2] ^= 0x01
    data.write_bytes(bytes(content))
    failed = cli("backup", "verify", str(data))
    assert failed.returncode == 1
    assert f"backup {manifest['name']} failed verification: checksum: expected" in failed.stderr
    refused = cli("backup", "restore", manifest["name"], "--store-url", "sqlite:///x.db")
    assert refused.returncode == 1 and "does not match its manifest's checksum" in refused.stderr
    assert not Path("x.db").exists()
    store = open_store(store_url, migrate=False)
    assert read_snapshot(store, 0.999)["swarmops_backup_verify_failures_total"] == {(): 1.0}
    store.dispose()


def test_restore_refuses_a_non_empty_store_and_force_replaces_it(cli: Run, store_url: str) -> None:
    manifest = created(cli)
    store = open_store(store_url, migrate=False)
    before = store_census(store, manifest["format"]).tables
    refused = cli("backup", "restore", manifest["name"], "--store-url", store_url)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert store_census(store, manifest["format"]).tables == before  # untouched
    assert cli("agent", "register", "late-1", "--role", "dev").returncode == 0
    forced = cli("backup", "restore", manifest["name"], "--store-url", store_url, "--force")
    assert forced.returncode == 0, forced.stderr
    assert store_census(store, manifest["format"]).tables == manifest["tables"]
    assert cli("agent", "show", "late-1").returncode == 2  # written after the backup: gone
    store.dispose()


def test_a_copy_whose_rows_were_altered_fails_on_counts_and_the_agent_log(
    cli: Run, store_url: str, tmp_path: Path
) -> None:
    if not store_url.startswith("sqlite"):
        pytest.skip("the copy is altered with sqlite3: the checksum check is the same on both")
    name = created(cli)["name"]
    path = tmp_path / "backups" / f"{name}.manifest.json"
    manifest = read_manifest(path)
    data = tmp_path / "backups" / manifest.file
    with sqlite3.connect(data) as altered:
        altered.execute("UPDATE agents SET version = version + 1 WHERE id = 'agent-1'")
        altered.execute("DELETE FROM contract_events WHERE contract_id = 'C-101' AND seq > 1")
    digest = {"sha256": sha256_of(data), "size_bytes": data.stat().st_size}
    write_json(path, manifest.model_copy(update=digest))
    failed = cli("backup", "verify", name, "--format", "json")
    assert failed.returncode == 1
    found = {d["what"] for d in json.loads(failed.stdout)["differences"]}
    assert {"table contract_events rows", "agent agent-1 version"} <= found
    assert any(what.startswith("contract C-101") for what in found)


def test_missing_postgresql_programs_exit_2_naming_them(
    cli: Run, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite backups run no program")
    name = created(cli)["name"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    done = cli("backup", "create")
    assert done.returncode == 2 and "pg_dump not found on PATH" in done.stderr
    assert "Traceback" not in done.stderr
    verified = cli("backup", "verify", name)
    assert verified.returncode == 2 and "pg_restore not found on PATH" in verified.stderr
    assert sorted(p.name for p in (tmp_path / "backups").iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "verify", "nope"], "no backup 'nope': no manifest at"),
        (["backup", "restore", "nope", "--store-url", "sqlite:///x.db"], "no backup 'nope'"),
        (["backup", "restore", "b", "--store-url", "mysql://h/db"], "--store-url: unsupported"),
        (["backup", "verify", "broken"], "not a backup manifest"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    (folder / "broken.manifest.json").write_text('{"name": "broken"}', encoding="utf-8")
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_restore_needs_a_store_url(cli: Run) -> None:
    done = cli("backup", "restore", "anything")
    assert done.returncode == 2 and "--store-url" in done.stderr
