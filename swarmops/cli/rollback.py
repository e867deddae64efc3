"""``swarmops rollback``: restore the desired state that was in force before the current one."""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.identifiers import check_identifier


def rollback(
    ctx: typer.Context,
    actor: Annotated[
        str, typer.Option("--actor", help="Who rolls back (recorded).", parser=check_identifier)
    ] = "operator",
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Re-apply the previous applied revision in one transaction (exit 2 when there is none)."""
    from swarmops.pipeline.rollback import rollback as roll_back

    result = roll_back(cli_context(ctx).store(), actor)
    if fmt is Format.json:
        emit_json(result)
        return
    emit_line(
        f"rolled back {result.rolled_back[:12]} (row {result.rolled_back_row}); "
        f"restored {result.restored[:12]} (from row {result.restored_from_row})"
    )
    emit_table("changes", ("change",), [(row["change"],) for row in result.rows()])
