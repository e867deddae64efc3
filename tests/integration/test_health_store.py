"""Health against real stores: the store probe at and behind the head, stored rounds,
probe.failed alerts raised once and resolved, and uptime arithmetic over stored results."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.health import ProbeContext, ProbeResult, record_round, run_probes, uptime_report
from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.records import open_probe_alerts
from swarmops.health.specs import StoreProbe
from swarmops.health.uptime import window_uptime
from swarmops.store import Store, in_unit
from swarmops.store.migrate import HEAD, REVISIONS, VERSION_TABLE
from swarmops.store.schema import alerts, outbox, probe_results
from swarmops.testing import FrozenClock

PROBE = StoreProbe(name="store", kind="store")


def probe_store(store: Store, spec: StoreProbe = PROBE) -> ProbeResult:
    context = ProbeContext(tcp=AsyncioTcp(), disk=ShutilDisk(), clock=store.clock, store=store)
    (result,) = run_probes([spec], context)
    return result


def test_store_at_the_head_passes(store: Store) -> None:
    result = probe_store(store)
    assert result.ok and result.detail.endswith(f"schema at head {HEAD}")


def test_store_without_a_recorded_revision_is_behind(store: Store) -> None:
    with store.unit() as connection:
        connection.execute(sa.text(f"DELETE FROM {VERSION_TABLE}"))
    result = probe_store(store)
    assert not result.ok and f"behind head {HEAD} ({len(REVISIONS)} pending)" in result.detail


def test_store_at_an_unknown_revision_is_refused(store: Store) -> None:
    with store.unit() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'ffff'"))
    result = probe_store(store)
    assert not result.ok and "newer than this swarmops knows" in result.detail


@pytest.mark.parametrize("where", ["missing.db", "no/such/dir/x.db", "empty.db"])
def test_a_probe_by_url_never_creates_what_it_probes(
    store: Store, tmp_path: Path, where: str
) -> None:
    (tmp_path / "empty.db").touch()
    spec = StoreProbe(name="other", kind="store", url=f"sqlite:///{tmp_path / where}")
    before = sorted(tmp_path.rglob("*"))
    result = probe_store(store, spec)
    assert not result.ok and result.detail.startswith("no store at sqlite:///")
    assert result.detail.endswith("run swarmops init")
    assert sorted(tmp_path.rglob("*")) == before and (tmp_path / "empty.db").stat().st_size == 0


def result(target: str, ok: bool, at_offset_s: float, clock: FrozenClock) -> ProbeResult:
    return ProbeResult(
        target=target,
        kind="http",
        ok=ok,
        latency_s=0.01,
        detail="" if ok else "status 500, expected 200",
        at=clock.now() + timedelta(seconds=at_offset_s),
    )


def rows_by_id(store: Store) -> list[sa.Row]:  # type: ignore[type-arg]
    with store.unit(read_only=True) as unit:
        return unit.execute(sa.select(alerts).order_by(alerts.c.id)).all()


def test_a_failing_target_raises_one_alert_and_a_pass_resolves_it(
    store: Store, clock: FrozenClock
) -> None:
    first = in_unit(
        store, record_round, [result("web", False, 0, clock), result("db", True, 0, clock)]
    )
    assert not first.ok and [c.target for c in first.raised] == ["web"] and not first.resolved
    again = in_unit(store, record_round, [result("web", False, 0, clock)])
    assert not again.raised and open_probe_alerts(store) == ["web"]
    clock.advance(60)
    healed = in_unit(store, record_round, [result("web", True, 0, clock)])
    assert healed.ok and [c.action for c in healed.resolved] == ["resolved"]
    assert healed.resolved[0].at == clock.now() and open_probe_alerts(store) == []
    relapse = in_unit(store, record_round, [result("web", False, 0, clock)])
    assert [c.target for c in relapse.raised] == ["web"]
    with store.unit(read_only=True) as connection:
        rows = connection.execute(sa.select(alerts.c.resolved_at)).all()
        stored = connection.execute(sa.select(sa.func.count()).select_from(probe_results))
        assert len(rows) == 2 and stored.scalar_one() == 5
        events = connection.execute(sa.select(outbox).order_by(outbox.c.id)).all()
    assert [(e.event, e.resource_id) for e in events] == [("swarmops.probe.failed", "web")] * 2
    assert [e.alert_id for e in events] == [alert.id for alert in rows_by_id(store)]


def test_an_optional_probe_fails_without_failing_the_round(
    store: Store, clock: FrozenClock
) -> None:
    optional = result("prefect", False, 0, clock).model_copy(update={"optional": True})
    outcome = in_unit(store, record_round, [optional, result("db", True, 0, clock)])
    assert outcome.ok and not outcome.raised and open_probe_alerts(store) == []


class TestUptime:
    """Uptime arithmetic over stored results, on both databases."""

    def test_uptime_over_each_window_against_the_slo(
        self, store: Store, clock: FrozenClock
    ) -> None:
        """web: 1 h holds 3 passes + 1 failure; 1-24 h 4 passes; 1-30 d 2 failures;
        one result older than 30 d and one in the future are outside every window."""
        hour, day = 3600, 86400
        offsets = [(-60, False), (-120, True), (-180, True), (-hour + 1, True)]
        offsets += [(-2 * hour, True), (-5 * hour, True), (-10 * hour, True), (-day + 1, True)]
        offsets += [(-2 * day, False), (-29 * day, False), (-31 * day, True), (60, True)]
        rows = [result("web", ok, offset, clock) for offset, ok in offsets]
        rows.append(result("db", True, -60, clock))
        in_unit(store, record_round, rows)
        report = uptime_report(store, slo=0.8)
        web = {row.window: row for row in report.rows if row.target == "web"}
        assert (web["1h"].probes, web["1h"].passed, web["1h"].uptime) == (4, 3, 0.75)
        assert (web["24h"].probes, web["24h"].passed, web["24h"].uptime) == (8, 7, 0.875)
        assert (web["30d"].probes, web["30d"].passed, web["30d"].uptime) == (10, 7, 0.7)
        assert [web[w].meets_slo for w in ("1h", "24h", "30d")] == [False, True, False]
        assert web["30d"].error_rate == pytest.approx(0.3)
        assert not report.ok
        assert {row.target for row in report.rows} == {"db", "web"}

    def test_a_window_without_results_has_no_uptime(self) -> None:
        empty = window_uptime("web", "1h", (0, 0), slo=0.999)
        assert empty.uptime is None and empty.meets_slo is None and empty.error_rate is None
        full = window_uptime("web", "1h", (1000, 999), slo=0.999)
        assert full.uptime == 0.999 and full.meets_slo is True


def test_an_unreachable_store_fails_with_the_reason() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    spec = StoreProbe(name="down", kind="store", url=url, timeout_s=10)
    context = ProbeContext(tcp=AsyncioTcp(), disk=ShutilDisk(), clock=FrozenClock())
    (result,) = run_probes([spec], context)
    assert not result.ok and "connection failed" in result.detail
