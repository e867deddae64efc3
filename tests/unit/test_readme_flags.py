"""The README documents every flag ``--help`` shows, and help shows no value for a flag.

Walks the command tree the console script builds (every group and command), takes
each option's flags as ``--help`` lists them, and looks for each in README.md as a
whole word (``--to`` is not found inside ``--token``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from swarmops.cli.app import app, main
from swarmops.cli.help import drop_flag_placeholders, options_of, walk_commands

README = Path(__file__).resolve().parents[2] / "README.md"


def _tree():  # type: ignore[no-untyped-def]
    return drop_flag_placeholders(typer.main.get_command(app))


def _shown_flags() -> dict[str, set[str]]:
    """Each long flag ``--help`` shows, with the commands that show it."""
    shown: dict[str, set[str]] = {}
    for path, command in walk_commands(_tree()):
        for option in options_of(command):
            for flag in (*option.opts, *option.secondary_opts):
                if flag.startswith("--"):
                    shown.setdefault(flag, set()).add(" ".join(("swarmops", *path)))
    return shown


def test_every_flag_help_shows_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    shown = _shown_flags()
    assert len(shown) > 40  # the walk reached the subcommands, not only the root
    missing = {
        flag: sorted(commands)
        for flag, commands in shown.items()
        if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text)
    }
    assert not missing, f"flags --help shows that README.md never mentions: {missing}"


@pytest.mark.parametrize("args", [[], ["failover"], ["msg", "send"], ["agent", "register"]])
def test_help_shows_no_value_placeholder_for_a_flag(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*args, "--help"])
    shown = capsys.readouterr().out
    assert exited.value.code == 0 and "--help" in shown
    assert "<bool>" not in shown
    if args in ([], ["msg", "send"]):
        assert "<str>" in shown  # options that take a value keep their placeholder
