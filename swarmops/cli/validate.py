"""``swarmops validate data``: the Great Expectations suites over the store's data.

Operators and the validation stage run this, never agents: great_expectations
(seconds to import) loads inside the command only.
"""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table

validate_app = typer.Typer(help="Validate the store's data with Great Expectations suites.")


@validate_app.command("data")
def data_command(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run the progress-event and contract suites; exit 1 naming each failed expectation."""
    from swarmops.validation import validate_store

    report = validate_store(cli_context(ctx).store())
    if fmt is Format.json:
        emit_json(report)
    else:
        rows = [
            (suite.name, "pass" if suite.success else "FAIL", suite.evaluated, len(suite.failed))
            for suite in report.suites
        ]
        emit_table("data validation", ["suite", "result", "expectations", "failed"], rows)
        for failure in report.failures():
            emit_line(f"FAILED {failure.describe()}")
    if not report.success:
        raise typer.Exit(1)
