"""Reservations on SQLite and PostgreSQL: grants and conflicts, fencing tokens, renewal by
heartbeat, release on failover and on contract completion or reassignment, and expiry
that messages its holder and queues an outbox event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.contracts import change_status
from swarmops.coordination import failover, recv
from swarmops.errors import BadInput, NotFound
from swarmops.fsm import heartbeat, load_agent_machine
from swarmops.reservations import (
    ReserveRequest,
    expire_due,
    held_by_others,
    list_reservations,
    release,
    reserve,
)
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit
from swarmops.store.schema import outbox, reservations
from swarmops.testing import FrozenClock, seed_agent, seed_contract

MACHINE = load_agent_machine(Path(__file__).parents[2] / "config" / "fsm.yaml")
POLICY = CoordinationSettings(heartbeat_timeout_s=300, lease_s=60)
REPO = "github.com/acme/app"


def ask(agent: str, *patterns: str, **fields: object) -> ReserveRequest:
    return ReserveRequest(agent_id=agent, repository=REPO, patterns=patterns, **fields)


@pytest.fixture
def agents(store: Store) -> Store:
    for name in ("ann", "bob"):
        seed_agent(store, name, "dev")
    return store


def test_exclusive_conflict_names_holder_and_expiry(agents: Store) -> None:
    first = in_unit(agents, reserve, ask("ann", "src/**", ttl_s=600), POLICY)
    second = in_unit(agents, reserve, ask("bob", "src/app/main.py", "docs/x.md"), POLICY)
    assert first.granted and first.reservations[0].token == 1
    assert not second.granted and second.reservations == []
    (conflict,) = second.conflicts
    assert conflict.pattern == "src/app/main.py" and conflict.held.agent_id == "ann"
    assert "held exclusive by ann until 2026-01-05T09:10:00+00:00" in conflict.describe()
    assert [r.pattern for r in list_reservations(agents)] == ["src"]  # bob got nothing


def test_shared_reservations_coexist_and_block_an_exclusive_one(agents: Store) -> None:
    assert in_unit(agents, reserve, ask("ann", "docs/", exclusive=False), POLICY).granted
    assert in_unit(agents, reserve, ask("bob", "docs/*.md", exclusive=False), POLICY).granted
    refused = in_unit(agents, reserve, ask("bob", "docs/index.md"), POLICY)
    assert [c.held.agent_id for c in refused.conflicts] == ["ann"]


def test_tokens_grow_per_repository_and_a_repeat_takes_over(agents: Store) -> None:
    one = in_unit(agents, reserve, ask("ann", "a.py"), POLICY).reservations[0]
    two = in_unit(agents, reserve, ask("bob", "b.py"), POLICY).reservations[0]
    again = in_unit(agents, reserve, ask("ann", "./a.py"), POLICY).reservations[0]
    assert (one.token, two.token, again.token) == (1, 2, 3)
    assert again.id == one.id and len(list_reservations(agents)) == 2


def test_unknown_agent_and_outside_paths_are_bad_input(agents: Store) -> None:
    with pytest.raises(NotFound):
        in_unit(agents, reserve, ask("nobody", "a.py"), POLICY)
    with pytest.raises(BadInput):
        in_unit(agents, reserve, ask("ann", "../../etc/passwd"), POLICY)


def test_heartbeat_renews_the_leases(agents: Store, clock: FrozenClock) -> None:
    in_unit(agents, reserve, ask("ann", "src/", ttl_s=100), POLICY)
    clock.advance(90)
    in_unit(agents, heartbeat, MACHINE, "ann")
    clock.advance(90)  # 180 s after the grant, 90 s after the renewal
    assert in_unit(agents, expire_due, POLICY).count == 0
    (held,) = list_reservations(agents, agent_id="ann")
    assert held.expires_at == clock.now() + timedelta(seconds=10)


def test_expiry_messages_the_holder_and_queues_an_event(agents: Store, clock: FrozenClock) -> None:
    granted = in_unit(agents, reserve, ask("ann", "src/", ttl_s=60), POLICY).reservations[0]
    clock.advance(61)
    assert list_reservations(agents) == []  # past its expiry it no longer counts
    ended = in_unit(agents, expire_due, POLICY)
    assert [r.id for r in ended.reservations] == [granted.id] and ended.reason == "expired"
    (message,) = in_unit(agents, recv, "ann", lease_s=30)
    assert message.body["kind"] == "reservation.expired" and message.body["pattern"] == "src"
    with agents.unit(read_only=True) as unit:
        events = unit.execute(sa.select(outbox.c.event, outbox.c.resource_id)).all()
    assert [tuple(e) for e in events] == [("swarmops.reservation.expired", str(granted.id))]
    assert in_unit(agents, expire_due, POLICY).count == 0  # once, never twice


def test_a_grant_expires_what_lapsed_in_its_repository_first(
    agents: Store, clock: FrozenClock
) -> None:
    in_unit(agents, reserve, ask("ann", "src/", ttl_s=60), POLICY)
    clock.advance(61)
    assert in_unit(agents, reserve, ask("bob", "src/a.py"), POLICY).granted
    (message,) = in_unit(agents, recv, "ann", lease_s=30)
    assert message.body["kind"] == "reservation.expired"


def test_failover_releases_a_silent_agents_reservations(agents: Store, clock: FrozenClock) -> None:
    in_unit(agents, reserve, ask("ann", "src/", ttl_s=3600), POLICY)
    clock.advance(400)
    in_unit(agents, heartbeat, MACHINE, "bob")
    in_unit(agents, failover, MACHINE, POLICY)
    with agents.unit(read_only=True) as unit:
        row = unit.execute(sa.select(reservations.c.end_reason)).one()
    assert row.end_reason == "failover"
    assert in_unit(agents, reserve, ask("bob", "src/a.py"), POLICY).granted


@pytest.mark.parametrize(
    ("to_status", "owner", "reason"),
    [("DONE", "ann", "contract.done"), ("ASSIGNED", "bob", "contract.reassigned")],
)
def test_contract_completion_or_reassignment_releases_its_reservations(
    agents: Store, to_status: str, owner: str, reason: str
) -> None:
    seed_contract(agents, "c1", "ann", status="REVIEW" if to_status == "DONE" else "ASSIGNED")
    in_unit(agents, reserve, ask("ann", "src/", contract_id="c1"), POLICY)
    in_unit(agents, reserve, ask("ann", "notes/"), POLICY)  # not bound: stays
    in_unit(agents, change_status, "c1", to_status, actor="ops", owner=owner)
    with agents.unit(read_only=True) as unit:
        rows = unit.execute(sa.select(reservations.c.pattern, reservations.c.end_reason)).all()
    assert sorted(tuple(r) for r in rows) == [("notes", None), ("src", reason)]


def test_release_by_id_checks_the_holder(agents: Store) -> None:
    mine = in_unit(agents, reserve, ask("ann", "a.py", "b.py"), POLICY).reservations
    with pytest.raises(NotFound, match="held by ann, not bob"):
        in_unit(agents, release, "bob", ids=[mine[0].id])
    assert in_unit(agents, release, "ann", ids=[mine[0].id]).count == 1
    with pytest.raises(NotFound, match="already ended"):
        in_unit(agents, release, "ann", ids=[mine[0].id])
    assert in_unit(agents, release, "ann").count == 1


def test_edit_check_sees_only_other_agents_live_reservations(agents: Store) -> None:
    in_unit(agents, reserve, ask("ann", "src/**/*.py", exclusive=False), POLICY)
    with agents.unit(read_only=True) as unit:
        theirs = held_by_others(unit, REPO, "bob", ["src/a/b.py", "README.md"])
        mine = held_by_others(unit, REPO, "ann", ["src/a/b.py"])
    assert [c.pattern for c in theirs] == ["src/a/b.py"] and mine == []
