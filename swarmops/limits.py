"""The ranges numbers must fall in where they enter swarmops (flags, variables, files, bodies).

Each bound is chosen so that what the value feeds cannot overflow: a duration
added to now stays a datetime on both stores, an id fits PostgreSQL's BIGINT, a
token or version its INTEGER. NaN and the infinities are never a value. The
pydantic types here are the settings' and files' fields; the CLI's options use
the same constants as typer's ``min``/``max``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, get_args

import annotated_types
from pydantic import BaseModel, Field

MAX_SECONDS = 10 * 365 * 24 * 3600.0  # ten years: now + any duration stays a datetime
MIN_SECONDS = 0.001  # a duration that must pass (a lease, a timeout) is at least a millisecond
MAX_HOURS = MAX_SECONDS / 3600
MAX_DAYS = MAX_SECONDS / 86400
MAX_BIGINT = 2**63 - 1  # ids of logged rows (messages, events, reservations): BIGINT
MAX_INT = 2**31 - 1  # tokens, versions, counters kept in INTEGER columns
MAX_CAPACITY = 10_000  # contracts one agent holds at once
MAX_BATCH = 10_000  # rows one command claims or lists (--max, --limit)
MAX_PERCENT = 100.0

Seconds = Annotated[float, Field(gt=0, le=MAX_SECONDS, allow_inf_nan=False)]
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS, allow_inf_nan=False)]
Days = Annotated[float, Field(gt=0, le=MAX_DAYS, allow_inf_nan=False)]
Capacity = Annotated[int, Field(ge=0, le=MAX_CAPACITY)]
RowId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Token = Annotated[int, Field(ge=0, le=MAX_INT)]


RANGE_ERRORS = frozenset(
    {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"}
)


def range_note(model: type[BaseModel], error: Mapping[str, Any]) -> str:
    """`` (allowed: 0 < x <= 10)`` when pydantic ``error`` broke a declared range in ``model``."""
    allowed = field_range(model, error["loc"]) if error["type"] in RANGE_ERRORS else None
    return f" (allowed: {allowed})" if allowed else ""


def field_range(model: type[BaseModel], loc: Sequence[Any]) -> str | None:
    """The declared range of the field at ``loc`` in ``model`` (``"0 < x <= 10"``), if any."""
    field = None
    for part in loc:
        if isinstance(part, int):  # an item of a list of models: the item's model is current
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _inner_model(field.annotation) or model
    return _describe_range(field.metadata) if field is not None else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, or the model in ``Model | None``, ``list[Model]``..."""
    candidates = (annotation, *get_args(annotation))
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)


_LOW = ((annotated_types.Gt, "gt", "<"), (annotated_types.Ge, "ge", "<="))
_HIGH = ((annotated_types.Lt, "lt", "<"), (annotated_types.Le, "le", "<="))


def _describe_range(metadata: Sequence[Any]) -> str | None:
    low, high = _bound(metadata, _LOW), _bound(metadata, _HIGH)
    if low is None and high is None:
        return None
    text = f"{low[0]} {low[1]} x" if low else "x"
    return f"{text} {high[1]} {high[0]}" if high else text


def _bound(
    metadata: Sequence[Any], kinds: Sequence[tuple[type, str, str]]
) -> tuple[str, str] | None:
    """The first bound of ``kinds`` in a field's metadata, as (number, comparison sign)."""
    for item in metadata:
        for kind, attribute, sign in kinds:
            if isinstance(item, kind):
                return shown_number(getattr(item, attribute)), sign
    return None


def shown_number(value: float) -> str:
    """A bound as people write it: 315360000, not 3.1536e+08."""
    return str(int(value)) if float(value).is_integer() else str(value)
