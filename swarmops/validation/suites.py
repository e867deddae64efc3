"""Great Expectations 1.x suites over progress events, contracts and their tasks.

Built per run because the suites embed the known ids and the current time; the
GX context is ephemeral (nothing written to disk), without analytics or progress
bars, and can be reused across runs (tests build one per session: GX is slow).
"""

from __future__ import annotations

import os
from typing import Any

from swarmops.validation.data import ValidationData
from swarmops.validation.results import FailedExpectation, SuiteResult, ValidationReport

SOURCE = "swarmops"
SAMPLE = 5


def gx_context() -> Any:
    """An ephemeral GX context with usage statistics and progress bars off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def expectations(data: ValidationData) -> dict[str, list[Any]]:
    """The suites by table name: what must hold for the data to be trusted."""
    import great_expectations.expectations as gxe

    agent_ids, contract_ids = list(data.agent_ids), list(data.contract_ids)
    return {
        "progress_events": [
            gxe.ExpectColumnValuesToBeInSet(column="contract_id", value_set=contract_ids),
            gxe.ExpectColumnValuesToBeInSet(column="agent_id", value_set=agent_ids),
            gxe.ExpectColumnValuesToBeBetween(column="percent", min_value=0, max_value=100),
            gxe.ExpectColumnValuesToBeBetween(column="at", max_value=data.now),
            gxe.ExpectColumnValuesToBeUnique(column="idempotency_key"),
        ],
        "contracts": [
            gxe.ExpectColumnValuesToBeUnique(column="id"),
            gxe.ExpectColumnValuesToBeInSet(column="owner", value_set=agent_ids),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="due", column_B="created_at", ignore_row_if="either_value_is_missing"
            ),
        ],
        "contract_tasks": [
            gxe.ExpectColumnValuesToBeBetween(column="weight", min_value=0, strict_min=True),
        ],
    }


def validate_frames(data: ValidationData, context: Any | None = None) -> ValidationReport:
    """Run every suite over ``data`` (in memory; a pandas data source per run)."""
    import great_expectations as gx

    context = context if context is not None else gx_context()
    source = context.data_sources.add_or_update_pandas(SOURCE)
    frames = {
        "progress_events": data.events,
        "contracts": data.contracts,
        "contract_tasks": data.tasks,
    }
    results = []
    for name, suite_expectations in expectations(data).items():
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        suite = context.suites.add_or_update(gx.ExpectationSuite(name=name))
        for expectation in suite_expectations:
            suite.add_expectation(expectation)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        outcome = definition.run(batch_parameters={"dataframe": frames[name]})
        results.append(_suite_result(name, len(frames[name]), outcome))
    return ValidationReport(suites=tuple(results))


def _suite_result(name: str, rows: int, outcome: Any) -> SuiteResult:
    failed = [
        FailedExpectation(
            suite=name,
            expectation=result.expectation_config.type,
            column=_columns(result.expectation_config.kwargs),
            unexpected_count=result.result.get("unexpected_count"),
            sample=_sample(result),
        )
        for result in outcome.results
        if not result.success
    ]
    return SuiteResult(
        name=name,
        rows=rows,
        evaluated=len(outcome.results),
        success=not failed,
        failed=tuple(failed),
    )


def _sample(result: Any) -> tuple[str, ...]:
    """A few offending values, or the error GX hit (it reports errors as failures)."""
    info = result.exception_info or {}
    errors = [info] if "raised_exception" in info else list(info.values())
    messages = [str(e.get("exception_message")) for e in errors if e.get("raised_exception")]
    if messages:
        return (f"error: {messages[0].splitlines()[0]}",)
    return tuple(str(v) for v in result.result.get("partial_unexpected_list", [])[:SAMPLE])


def _columns(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return str(kwargs["column"])
    pair = [kwargs.get("column_A"), kwargs.get("column_B")]
    return ", ".join(str(c) for c in pair if c) or None
