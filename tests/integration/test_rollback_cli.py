"""``swarmops rollback`` as operators run it: exit 2 with one line when there is nothing to
roll back to, and otherwise the previous revision restored and printed."""

from __future__ import annotations

import json
from pathlib import Path

from swarmops.pipeline import DesiredState, apply_desired, load_desired
from swarmops.settings import load_settings
from swarmops.store import open_store
from tests.refusals import swarmops

CONFIG = Path(__file__).resolve().parents[2] / "config"


def write_config(folder: Path) -> Path:
    (folder / "code").mkdir()
    (folder / "code" / "ok.py").write_text("def fine():\n    return 1\n")
    path = folder / "swarmops.yaml"
    path.write_text(
        f"fsm: {CONFIG / 'fsm.yaml'}\nagents: {CONFIG / 'agents.yaml'}\n"
        f"contracts: {CONFIG / 'contracts'}\n"
        f"compliance: {{rules: {CONFIG / 'v2_rules.yaml'}, roots: [code], baseline: b.json}}\n"
    )
    return path


def retitled(desired: DesiredState, title: str) -> DesiredState:
    first, *rest = desired.contracts
    return desired.model_copy(
        update={"contracts": (first.model_copy(update={"title": title}), *rest)}
    )


def test_rollback_cli(store_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    common = ("--config", str(config), "--store-url", store_url, "rollback")
    open_store(store_url, create=True).dispose()
    nothing = swarmops(*common, cwd=tmp_path)
    assert nothing.returncode == 2
    assert nothing.stderr == (
        "swarmops: error: nothing to roll back to: no revision has been applied\n"
    )
    desired = load_desired(load_settings(config, store_url=store_url, environ={}))
    store = open_store(store_url)
    try:
        for version in (desired, retitled(desired, "Second"), retitled(desired, "Third")):
            apply_desired(store, version, "tester")
    finally:
        store.dispose()
    table = swarmops(*common, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "rolled back" in table.stdout and "contract C-101 changed" in table.stdout
    done = swarmops(*common, "--format", "json", "--actor", "ops-1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["restored"] == desired.revision
    assert result["apply"]["status"] == "restored"
    assert swarmops(*common, cwd=tmp_path).returncode == 2
