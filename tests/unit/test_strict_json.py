"""A message body is strict JSON whichever door it came through (issue 16, item 6): the
parsed value is checked, not only the text, so the gateway and MCP get the same rule."""

from __future__ import annotations

from typing import Any

import pytest

from swarmops.errors import BadInput
from swarmops.strict_json import MAX_DEPTH, measure_body, parse_body


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (float("nan"), "not a JSON number"),
        ({"x": [1, float("inf")]}, "not a JSON number"),
        ("\ud800", "lone surrogate"),
        ({"\udfff": 1}, "lone surrogate"),
        (nested(MAX_DEPTH + 1), "deeper than 64"),
        (nested(50_000), "deeper than 64"),
        ({1, 2}, "not JSON"),
    ],
)
def test_a_value_that_is_not_strict_json_is_refused(value: Any, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        measure_body(value)


def test_the_size_is_compact_utf8_and_the_deepest_allowed_passes() -> None:
    assert measure_body({"é": "日本"}) == len('{"é":"日本"}'.encode())
    assert measure_body(nested(MAX_DEPTH)) == 2 * MAX_DEPTH + 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("NaN", "NaN is not a JSON value"),
        ("[-Infinity]", "-Infinity is not a JSON value"),
        (b"\xc3\x28", "not valid UTF-8"),
        ("[" * 100_000, "deeper than 64|not JSON"),
        ("", "not JSON"),
    ],
)
def test_text_that_is_not_strict_json_is_refused_naming_its_source(
    raw: str | bytes, reason: str
) -> None:
    with pytest.raises(BadInput, match=rf"^--body-file x\.json .*({reason})"):
        parse_body(raw, source="--body-file x.json")
