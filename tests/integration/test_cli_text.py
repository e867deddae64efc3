"""Text at the command line (issue 16, items 6-8): message bodies, identifiers, contract
files and JSON output, each class tried with several members on SQLite and PostgreSQL.

Every refusal is exit 2, one ``swarmops: error:`` line naming the flag or key, no
traceback, and every table as it was.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from swarmops.cli.output import emit_json
from swarmops.limits import MAX_HOURS
from tests.refusals import assert_refused, refused_unchanged


@pytest.fixture
def cli(web_pair_cli):  # type: ignore[no-untyped-def]
    return web_pair_cli


@pytest.mark.parametrize(
    "body",
    [
        '{"x": NaN}',
        "[Infinity]",
        "-Infinity",
        '"\\ud800"',
        '{"a": "\\udfff"}',
        "[" * 50_000 + "]" * 50_000,
        "[" * 65 + "]" * 65,
    ],
)
def test_a_body_that_is_not_strict_json_is_refused(cli, store, body: str) -> None:  # type: ignore[no-untyped-def]
    refused_unchanged(
        cli, store, ["msg", "send", "--from", "a1", "--to", "a2", "--body", body], "--body"
    )


def test_a_body_file_holds_invalid_utf8_or_is_missing(cli, store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"x": "\xff\xfe"}')
    send = ["msg", "send", "--from", "a1", "--to", "a2"]
    refused_unchanged(cli, store, [*send, "--body-file", str(bad)], "UTF-8")
    refused_unchanged(
        cli, store, [*send, "--body-file", str(tmp_path / "none.json")], "--body-file"
    )
    refused_unchanged(cli, store, [*send, "--body", "1", "--body-file", str(bad)], "--body-file")
    refused_unchanged(cli, store, send, "--body")


def test_a_body_file_or_stdin_reaches_the_configured_limit(
    cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """One argv string cannot pass 128 KiB; a file or stdin carries up to the 256 KiB limit."""
    body = json.dumps({"blob": "x" * (262_144 - 11)})  # compact, it is exactly the limit
    path = tmp_path / "big.json"
    path.write_text(body, encoding="utf-8")
    send = ("msg", "send", "--from", "a1", "--to", "a2")
    assert cli(*send, "--body-file", str(path)).returncode == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    assert cli(*send, "--body-file", "-").returncode == 0
    claimed = json.loads(cli("msg", "recv", "a2", "--max", "2").stdout)
    assert [len(m["body"]["blob"]) for m in claimed] == [262_133, 262_133]
    path.write_text(json.dumps({"blob": "x" * 262_134}), encoding="utf-8")
    assert_refused(cli(*send, "--body-file", str(path)), "262145 bytes; the limit is 262144")


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["msg", "send", "--from", "a" * 500, "--to", "a2", "--body", "1"], "--from"),
        (["msg", "send", "--from", " ", "--to", "a2", "--body", "1"], "--from"),
        (["msg", "send", "--from", "a1", "--role", "a:b;c", "--body", "1"], "--role"),
        (["msg", "send", "--from", "a1", "--to", "a2", "--key", "", "--body", "1"], "--key"),
        (["agent", "register", "a3", "--role", ""], "--role"),
        (["agent", "register", "a3", "--role", "r" * 65], "--role"),
        (["agent", "register", "a/3", "--role", "web"], "agent_id"),
        (["agent", "transition", "a1", "IDLE", "--actor", ""], "--actor"),
        (["agent", "transition", "a1", "IDLE", "--actor", "x" * 129], "--actor"),
        (["contract", "progress", "c 1", "--agent", "a1", "--percent", "5"], "ID"),
        (["rollback", "--actor", "bob;drop"], "--actor"),
        (["token", "issue", "bad name"], "name"),
    ],
)
def test_an_identifier_breaking_the_one_rule_is_refused(cli, store, args, mention) -> None:  # type: ignore[no-untyped-def]
    refused_unchanged(cli, store, args, mention)


def _contract(folder: Path, **fields: object) -> Path:
    folder.mkdir(exist_ok=True)
    spec = {"id": "c1", "title": "one", **fields}
    (folder / "c1.yaml").write_text(json.dumps(spec), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("fields", "mention"),
    [
        ({"owner": "nobody"}, "'nobody' is not a registered agent"),
        ({"owner": "a:b"}, "owner"),
        ({"estimate_hours": 1e400}, "estimate_hours: Input should be a finite number (allowed"),
        ({"estimate_hours": "nan"}, "estimate_hours"),
        ({"tasks": [{"id": "t1", "title": "t", "weight": float("inf")}]}, "tasks.0.weight"),
        ({"tasks": [{"id": "t 1", "title": "t"}]}, "tasks.0.id"),
        ({"title": "a\x00b"}, "NUL"),
    ],
)
def test_a_contract_file_with_a_bad_owner_or_number_is_refused(
    cli, store, tmp_path, fields, mention
) -> None:  # type: ignore[no-untyped-def]
    folder = _contract(tmp_path / "contracts", **fields)
    for dry in ([], ["--dry-run"]):
        refused_unchanged(cli, store, ["contract", "apply", str(folder), *dry], mention)


def test_json_output_is_strict(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The largest numbers a file may declare still print as JSON numbers; a non-finite
    one reaching the printer is a bug, refused rather than printed as ``Infinity``."""
    folder = _contract(tmp_path / "contracts", owner="a1", estimate_hours=MAX_HOURS)
    assert cli("contract", "apply", str(folder)).returncode == 0
    shown = cli("contract", "show", "c1", "--format", "json").stdout
    json.loads(shown, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
    with pytest.raises(ValueError, match="JSON compliant"):
        emit_json({"estimate_hours": float("inf")})
