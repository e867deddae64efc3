"""Probe logic over the fake network and disk: verdicts, details, timeouts, concurrency."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from swarmops.health import ProbeContext, run_probes
from swarmops.health.checks import NO_PREFECT
from swarmops.health.results import ProbeResult
from swarmops.health.runner import run_round
from swarmops.health.specs import DiskProbe, HttpProbe, MetricsProbe, PrefectProbe, TcpProbe
from swarmops.testing import FakeProbeIO, FrozenClock

GIB = 2**30


@pytest.fixture
def fake() -> FakeProbeIO:
    return FakeProbeIO()


def context(fake: FakeProbeIO, prefect_api_url: str | None = None) -> ProbeContext:
    return ProbeContext(
        tcp=fake, disk=fake, clock=FrozenClock(), http=fake, prefect_api_url=prefect_api_url
    )


def by_target(results: list[ProbeResult]) -> dict[str, ProbeResult]:
    return {result.target: result for result in results}


def http(name: str, url: str, **fields: object) -> HttpProbe:
    return HttpProbe.model_validate({"name": name, "kind": "http", "url": url, **fields})


def test_http_verdicts_follow_status_body_and_budget(fake: FakeProbeIO) -> None:
    fake.answer("http://a/ok", 200, "all good")
    fake.answer("http://a/err", 500)
    fake.answer("http://a/slowish", 200, "all good", delay_s=0.05)
    results = by_target(
        run_probes(
            [
                http("ok", "http://a/ok", body_contains="good"),
                http("err", "http://a/err"),
                http("body", "http://a/ok", body_contains="missing"),
                http("budget", "http://a/slowish", latency_budget_s=0.01),
                http("refused", "http://a/none"),
            ],
            context(fake),
        )
    )
    assert results["ok"].ok and results["ok"].detail == "status 200"
    assert not results["err"].ok and results["err"].detail == "status 500, expected 200"
    assert not results["body"].ok and "lacks 'missing'" in results["body"].detail
    assert not results["budget"].ok and "over budget 0.01 s" in results["budget"].detail
    assert not results["refused"].ok and "connection refused" in results["refused"].detail


def test_a_hung_target_times_out_on_its_own_timeout_and_others_finish(fake: FakeProbeIO) -> None:
    fake.answer("http://a/hang", 200, delay_s=3600)
    fake.answer("http://a/ok", 200)
    specs = [http("hang", "http://a/hang", timeout_s=0.2), http("ok", "http://a/ok")]
    results = by_target(run_probes(specs, context(fake)))
    assert not results["hang"].ok and results["hang"].detail == "timed out after 0.2 s"
    assert results["ok"].ok
    assert results["hang"].latency_s >= 0.2


def test_probes_start_together_rather_than_one_after_another(fake: FakeProbeIO) -> None:
    """Each fake request records itself before sleeping; all start before any ends."""
    for index in range(5):
        fake.answer(f"http://a/{index}", 200, delay_s=0.05)
    specs = [http(f"t{index}", f"http://a/{index}") for index in range(5)]

    async def round_and_count() -> tuple[list[ProbeResult], int]:
        task = asyncio.ensure_future(run_round(specs, context(fake)))
        await asyncio.sleep(0.01)
        started = len(fake.requests)
        return await task, started

    results, started_early = asyncio.run(round_and_count())
    assert started_early == 5 and all(r.ok for r in results)


class TestEveryKind:
    """TCP, disk, the Prefect API and /metrics endpoints."""

    def test_tcp_open_and_closed_ports(self, fake: FakeProbeIO) -> None:
        fake.open_ports.add(("db", 5432))
        specs = [
            TcpProbe(name="open", kind="tcp", host="db", port=5432),
            TcpProbe(name="closed", kind="tcp", host="db", port=5433),
        ]
        results = by_target(run_probes(specs, context(fake)))
        assert results["open"].ok and results["open"].detail == "connected to db:5432"
        assert not results["closed"].ok and "refused" in results["closed"].detail

    @pytest.mark.parametrize(
        ("free_gib", "min_ratio", "ok"),
        [(10, 0.05, True), (10, 0.11, False), (2, 0.0, True), (1.5, 0.0, False)],
        ids=["over-both", "under-ratio", "at-bytes", "under-bytes"],
    )
    def test_disk_thresholds(
        self, fake: FakeProbeIO, free_gib: float, min_ratio: float, ok: bool
    ) -> None:
        """A 100 GiB disk that must keep 2 GiB and ``min_ratio`` free."""
        path = Path("/data")
        fake.disks[path] = (int(free_gib * GIB), 100 * GIB)
        spec = DiskProbe(
            name="disk", kind="disk", path=path, min_free_bytes=2 * GIB, min_free_ratio=min_ratio
        )
        (result,) = run_probes([spec], context(fake))
        assert result.ok is ok
        assert result.detail.startswith(f"/data: {free_gib:.2f} GiB free")
        assert ("need" in result.detail) is (not ok)

    def test_a_missing_disk_path_fails_with_the_reason(self, fake: FakeProbeIO) -> None:
        spec = DiskProbe(name="disk", kind="disk", path=Path("/nowhere"))
        (result,) = run_probes([spec], context(fake))
        assert not result.ok and "no such path" in result.detail

    def test_prefect_probe_needs_an_api_and_checks_its_health(self, fake: FakeProbeIO) -> None:
        fake.answer("http://prefect:4200/api/health", 200, "true")
        spec = PrefectProbe(name="prefect", kind="prefect")
        (unconfigured,) = run_probes([spec], context(fake))
        assert not unconfigured.ok and unconfigured.detail == NO_PREFECT
        (configured,) = run_probes([spec], context(fake, "http://prefect:4200/api/"))
        assert configured.ok and fake.requests[-1] == ("GET", "http://prefect:4200/api/health")
        explicit = PrefectProbe(name="p", kind="prefect", url="http://elsewhere/api")
        (down,) = run_probes([explicit], context(fake, "http://prefect:4200/api"))
        assert not down.ok and "elsewhere" in down.detail

    def test_metrics_probe_parses_the_exposition(self, fake: FakeProbeIO) -> None:
        fake.answer("http://m/metrics", 200, "# TYPE up gauge\nup 1\n")
        fake.answer("http://m/bad", 200, "up{ 1\n")
        specs = [
            MetricsProbe(name="good", kind="metrics", url="http://m/metrics", expect_metric="up"),
            MetricsProbe(name="missing", kind="metrics", url="http://m/metrics", expect_metric="x"),
            MetricsProbe(name="bad", kind="metrics", url="http://m/bad"),
        ]
        results = by_target(run_probes(specs, context(fake)))
        assert results["good"].ok and results["good"].detail == "1 metric families"
        assert not results["missing"].ok and "'x' missing" in results["missing"].detail
        assert not results["bad"].ok and "does not parse" in results["bad"].detail
