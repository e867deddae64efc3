# swarmops: allow[classes-per-file] one model per probe kind and their base: the file's schema, read as one
"""What a probe file may declare: one model per probe kind, and their union.

Network kinds (HTTP, TCP, the Prefect API, /metrics) and local ones (the store, a
disk) share ``ProbeBase``. Every probe has a name (its target in results), a kind and its own timeout; a
probe marked ``optional`` is run and stored but never fails the round or raises
an alert, and ``enabled: false`` skips it without deleting it from the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from swarmops.limits import MAX_BIGINT, MAX_SECONDS


def _http_url(value: str) -> str:
    """An absolute http(s) URL with a host; anything else is a config error at load."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


class ProbeBase(BaseModel):
    """What every probe declares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=128)
    timeout_s: float = Field(5.0, gt=0, le=300)
    optional: bool = False
    enabled: bool = True


class HttpProbe(ProbeBase):
    """An HTTP endpoint answering with the expected status (and body, and in budget)."""

    kind: Literal["http"]
    url: HttpUrl
    method: str = "GET"
    expect_status: int = Field(200, ge=100, le=599)
    body_contains: str | None = None
    latency_budget_s: float | None = Field(None, gt=0, le=MAX_SECONDS, allow_inf_nan=False)


class TcpProbe(ProbeBase):
    """A TCP port accepting connections."""

    kind: Literal["tcp"]
    host: str
    port: int = Field(ge=1, le=65535)


class PrefectProbe(ProbeBase):
    """The Prefect API's health endpoint; ``url`` defaults to PREFECT_API_URL."""

    kind: Literal["prefect"]
    url: HttpUrl | None = None


class MetricsProbe(ProbeBase):
    """A Prometheus /metrics endpoint that answers and parses."""

    kind: Literal["metrics"]
    url: HttpUrl
    expect_metric: str | None = None


class StoreProbe(ProbeBase):
    """The store answers a trivial query and its schema is at the migration head."""

    kind: Literal["store"]
    url: str | None = None


class DiskProbe(ProbeBase):
    """A file system with at least ``min_free_bytes`` and ``min_free_ratio`` free."""

    kind: Literal["disk"]
    path: Path = Path(".")
    min_free_bytes: int = Field(0, ge=0, le=MAX_BIGINT)
    min_free_ratio: float = Field(0.0, ge=0, le=1)


ProbeSpec = Annotated[
    HttpProbe | TcpProbe | StoreProbe | PrefectProbe | DiskProbe | MetricsProbe,
    Field(discriminator="kind"),
]
