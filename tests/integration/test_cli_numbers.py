"""Numbers and usage at the command line (issue 16, item 5 and usage errors): each class
tried with several members, on SQLite and PostgreSQL, through the CLI's entry point.

Every refusal is exit 2, one ``swarmops: error:`` line naming the flag, variable or
command (with the declared range), no traceback, and every table as it was.
"""

from __future__ import annotations

import pytest

from tests.refusals import assert_refused, refused_unchanged, swarmops

HUGE = "1" + "0" * 20  # 20 digits: past BIGINT


@pytest.fixture
def cli(web_pair_cli):  # type: ignore[no-untyped-def]
    return web_pair_cli


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["msg", "recv", "a1", "--lease", "nan"], "--lease"),
        (["msg", "recv", "a1", "--lease", "-inf"], "--lease"),
        (["msg", "recv", "a1", "--max", HUGE], "--max"),
        (["msg", "recv", "a1", "--max", "0"], "--max"),
        (["msg", "send", "--from", "a1", "--to", "a2", "--ttl", "inf", "--body", "1"], "--ttl"),
        (
            ["msg", "send", "--from", "a1", "--to", "a2", "--delay", "1e300", "--body", "1"],
            "--delay",
        ),
        (
            ["msg", "send", "--from", "a1", "--to", "a2", "--priority", "12", "--body", "1"],
            "--priority",
        ),
        (
            ["msg", "send", "--from", "a1", "--to", "a2", "--reply-to", HUGE, "--body", "1"],
            "--reply-to",
        ),
        (["msg", "ack", HUGE, "--token", "1"], "ID"),
        (["msg", "ack", "1", "--token", HUGE], "--token"),
        (["msg", "dead", "--limit", "-1"], "--limit"),
        (["msg", "dead", "--replay", HUGE], "--replay"),
        (["agent", "register", "a3", "--role", "web", "--capacity", HUGE], "--capacity"),
        (["agent", "transition", "a1", "IDLE", "--expect-version", "-1"], "--expect-version"),
        (["contract", "progress", "c1", "--agent", "a1", "--percent", "nan"], "--percent"),
        (["contract", "progress", "c1", "--agent", "a1", "--token", HUGE], "--token"),
        (["reserve", "src/x.py", "--agent", "a1", "--repo", "r", "--ttl", "nan"], "--ttl"),
        (["release", HUGE, "--agent", "a1"], "ids"),
        (["token", "issue", "a1", "--expires", "99999999999999d"], "--expires"),
    ],
)
def test_a_number_out_of_its_range_is_refused_naming_the_flag(cli, store, args, flag) -> None:  # type: ignore[no-untyped-def]
    refused_unchanged(cli, store, args, flag)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SWARMOPS_COORDINATION__HEARTBEAT_TIMEOUT_S", "1e12"),
        ("SWARMOPS_COORDINATION__LEASE_S", "nan"),
        ("SWARMOPS_COORDINATION__MAX_ATTEMPTS", HUGE),
        ("SWARMOPS_PROGRESS__STALL_AFTER_H", "inf"),
        ("SWARMOPS_HEALTH__SLO", "nan"),
    ],
)
def test_a_number_out_of_range_in_a_variable_names_it_and_its_range(
    cli, store, variable, value
) -> None:  # type: ignore[no-untyped-def]
    refused_unchanged(
        cli, store, ["failover", "--dry-run"], variable, "allowed", **{variable: value}
    )


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["agent", "show", "--limit", "3"], "no such option: --limit"),
        (["msg", "recv"], "missing argument"),
        (["msg", "recv", "a1", "--max", "many"], "--max"),
        (["msg", "ack", "one", "--token", "1"], "ID"),
        (["--bogus", "agent", "show"], "--bogus"),
        (["agent", "show", "--format", "xml"], "--format"),
    ],
)
def test_a_usage_error_is_one_line_with_the_command_and_help(cli, store, args, mention) -> None:  # type: ignore[no-untyped-def]
    refused_unchanged(cli, store, args, mention, "--help'")


THIN = {"SWARMOPS_API_URL": "http://127.0.0.1:9", "SWARMOPS_TOKEN": "t"}  # never reached


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["msg", "send", "--from", "a1", "--to", "a2"], "--body"),
        (["msg", "recv", "a1", "--max", "many"], "--max"),
        (["msg", "ack", "1"], "--token"),
        (["msg", "send", "--from", "a1", "--to", "a2", "--body", '{"x": NaN}'], "--body"),
        (["msg", "send", "--from", "a1", "--to", "a2", "--body", "1", "--ttl", "nan"], "--ttl"),
        (["msg", "recv", "a1", "--lease", "inf"], "--lease"),
        (["contract", "progress", "C-1", "--agent", "a1", "--percent", "nan"], "--percent"),
    ],
)
def test_the_thin_client_refuses_in_one_line_too(tmp_path, args: list[str], mention: str) -> None:  # type: ignore[no-untyped-def]
    assert_refused(swarmops(*args, cwd=tmp_path, env=THIN), mention)
