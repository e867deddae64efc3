"""A hook's numeric setting out of its range is the default, never a crash: a hook fails
open rather than block the agent on its own configuration (issue 16, item 5)."""

from __future__ import annotations

import pytest

from swarmops.hooks.client import DEFAULT_BUDGET_S, budget_s


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "-inf", "0", "-1", "61", "1e400", "1" * 30])
def test_a_budget_out_of_range_is_the_default(text: str) -> None:
    assert budget_s(text) == DEFAULT_BUDGET_S


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(None, DEFAULT_BUDGET_S), ("", DEFAULT_BUDGET_S), ("0.5", 0.5), ("60", 60.0)],
)
def test_a_budget_in_range_is_used(text: str | None, seconds: float) -> None:
    assert budget_s(text) == seconds
