"""The message bus on SQLite and PostgreSQL, with frozen time for leases, backoff and TTL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from swarmops.coordination import (
    AckBatch,
    SendRequest,
    ack,
    ack_many,
    bus_stats,
    dead_letters,
    nack,
    recv,
    release_in,
    replay,
    send,
)
from swarmops.errors import BadInput, LeaseLost, NotFound
from swarmops.settings import CoordinationSettings
from swarmops.store.schema import fencing_rejections, messages
from swarmops.testing import seed_agent

POLICY = CoordinationSettings(max_attempts=3, max_body_bytes=1024)
LEASE = 30.0


@pytest.fixture
def bus(store):  # type: ignore[no-untyped-def]
    for agent_id, role in [("a1", "web"), ("a2", "web"), ("a3", "ops"), ("boss", "lead")]:
        seed_agent(store, agent_id, role)
    return store


def post(store, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("sender", "boss")
    fields.setdefault("body", {"n": 1})
    return send(store, SendRequest(**fields), POLICY)


class TestSend:
    """Sending and claiming: audiences, order, idempotency, validation."""

    def test_direct_send_is_claimed_with_a_lease(self, bus, clock) -> None:
        sent = post(bus, to="a1", body={"task": "x"})
        [message] = recv(bus, "a1", lease_s=LEASE)
        assert (message.id, message.body, message.recipient) == (sent.ids[0], {"task": "x"}, "a1")
        assert (message.attempts, message.lease_token, message.status) == (1, 1, "leased")
        assert (message.lease_expires_at - clock.now()).total_seconds() == LEASE
        assert recv(bus, "a1", lease_s=LEASE) == []
        assert recv(bus, "a2", lease_s=LEASE) == []

    def test_highest_priority_then_oldest_first_up_to_max(self, bus) -> None:
        ids = [post(bus, to="a1", priority=p).ids[0] for p in (1, 5, 5, 0, 9)]
        first = recv(bus, "a1", max_messages=3, lease_s=LEASE)
        assert [m.id for m in first] == [ids[4], ids[1], ids[2]]
        rest = recv(bus, "a1", max_messages=10, lease_s=LEASE)
        assert [m.id for m in rest] == [ids[0], ids[3]]

    def test_role_and_broadcast_make_one_copy_per_agent(self, bus) -> None:
        role = post(bus, role="web")
        assert (role.recipients, role.queue) == (["a1", "a2"], "role:web")
        everyone = post(bus, broadcast=True)
        assert (everyone.recipients, everyone.queue) == (["a1", "a2", "a3"], "broadcast")
        [copy] = recv(bus, "a2", max_messages=1, lease_s=LEASE)
        assert (copy.recipient, copy.queue) == ("a2", "role:web")
        assert len(recv(bus, "a1", max_messages=5, lease_s=LEASE)) == 2

    def test_an_idempotency_key_makes_a_repeated_send_one_effect(self, bus) -> None:
        first = post(bus, role="web", key="k1")
        again = post(bus, role="web", key="k1", body={"other": True})
        assert again.ids == first.ids and again.duplicate and not first.duplicate
        assert post(bus, to="a3", key="k1").ids != first.ids  # the key is per recipient
        with bus.read() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(messages)) == 3

    @pytest.mark.parametrize(
        ("fields", "error"),
        [
            ({"to": "a1", "body": {"x": "y" * 2000}}, BadInput),
            ({"to": "nobody"}, NotFound),
            ({"role": "nobody"}, NotFound),
            ({"to": "a1", "priority": 10}, BadInput),
            ({"to": "a1", "role": "web"}, BadInput),
            ({"to": "a1", "reply_to": 999}, NotFound),
        ],
    )
    def test_bad_sends_change_nothing(self, bus, fields, error) -> None:
        with pytest.raises(error):
            post(bus, **fields)
        assert bus_stats(bus).open_by_queue == {}

    def test_a_reply_carries_the_request_correlation(self, bus) -> None:
        tagged = post(bus, to="a1", correlation_id="job-7")
        plain = post(bus, to="a1")
        post(bus, to="boss", reply_to=tagged.ids[0])
        post(bus, to="boss", reply_to=plain.ids[0])
        replies = recv(bus, "boss", max_messages=5, lease_s=LEASE)
        assert [(r.reply_to, r.correlation_id) for r in replies] == [
            (tagged.ids[0], "job-7"),
            (plain.ids[0], str(plain.ids[0])),
        ]

    def test_recv_validates_its_input(self, bus) -> None:
        with pytest.raises(NotFound):
            recv(bus, "ghost", lease_s=LEASE)
        with pytest.raises(BadInput):
            recv(bus, "a1", max_messages=0, lease_s=LEASE)


class TestVisibility:
    """When a message can be claimed: TTL, not-before, lease expiry, release."""

    def test_time_to_live_sends_unclaimed_messages_to_the_dead_letters(self, bus, clock) -> None:
        sent = post(bus, to="a1", ttl_s=10)
        clock.advance(10)
        assert recv(bus, "a1", lease_s=LEASE) == []
        [dead] = dead_letters(bus)
        assert (dead.id, dead.dead_reason) == (sent.ids[0], "expired: time-to-live passed")

    def test_not_before_hides_a_message_until_it_is_due(self, bus, clock) -> None:
        post(bus, to="a1", delay_s=60)
        clock.advance(59)
        assert recv(bus, "a1", lease_s=LEASE) == []
        clock.advance(1)
        assert len(recv(bus, "a1", lease_s=LEASE)) == 1

    def test_an_expired_lease_is_redelivered_and_fences_the_old_token(self, bus, clock) -> None:
        post(bus, to="a1")
        [old] = recv(bus, "a1", lease_s=LEASE)
        clock.advance(LEASE)
        [new] = recv(bus, "a1", lease_s=LEASE)
        assert (new.id, new.attempts, new.lease_token) == (old.id, 2, old.lease_token + 1)
        with pytest.raises(LeaseLost):
            ack(bus, old.id, old.lease_token)
        with pytest.raises(LeaseLost):
            nack(bus, old.id, old.lease_token)
        with bus.read() as conn:
            status = conn.scalar(sa.select(messages.c.status).where(messages.c.id == old.id))
            rejected = conn.execute(sa.select(fencing_rejections)).all()
        assert status == "leased"
        assert [(r.action, r.token, r.current_token) for r in rejected] == [
            ("ack", 1, 2),
            ("nack", 1, 2),
        ]
        assert ack(bus, new.id, new.lease_token).status == "acked"
        assert ack(bus, new.id, new.lease_token).status == "acked"  # a retried ack is one effect

    def test_an_expired_lease_on_the_last_attempt_dead_letters(self, bus, clock) -> None:
        post(bus, to="a1")
        for _ in range(POLICY.max_attempts):
            assert len(recv(bus, "a1", lease_s=LEASE)) == 1
            clock.advance(LEASE)
        assert recv(bus, "a1", lease_s=LEASE) == []
        [dead] = dead_letters(bus, recipient="a1")
        assert dead.dead_reason == "lease expired on the last attempt"

    def test_release_makes_leases_visible_and_refuses_the_old_token(self, bus) -> None:
        post(bus, to="a1")
        [held] = recv(bus, "a1", lease_s=LEASE)
        with bus.write() as conn:
            assert release_in(conn, "a1", bus.now()) == 1
        with pytest.raises(LeaseLost):
            ack(bus, held.id, held.lease_token)
        [again] = recv(bus, "a1", lease_s=LEASE)
        assert again.lease_token == held.lease_token + 1


class TestSettle:
    """Ack, batch ack, nack with backoff, dead letters, replay and stats."""

    def test_a_batch_ack_acks_held_leases_and_records_lost_ones(self, bus, clock) -> None:
        post(bus, to="a1")
        post(bus, to="a1")
        first, second = recv(bus, "a1", max_messages=2, lease_s=LEASE)
        clock.advance(LEASE)
        [taken] = recv(bus, "a1", max_messages=1, lease_s=LEASE)  # the older one, re-leased
        receipts = [(first.id, first.lease_token), (second.id, second.lease_token)]
        assert ack_many(bus, receipts) == AckBatch(acked=[second.id], lost=[taken.id])
        assert ack_many(bus, receipts[1:]) == AckBatch(acked=[second.id], lost=[])
        assert ack_many(bus, []) == AckBatch(acked=[], lost=[])
        with bus.read() as conn:
            rejected = conn.scalars(sa.select(fencing_rejections.c.resource_id)).all()
        assert rejected == [str(taken.id)]

    def test_nack_backs_off_exponentially_then_dead_letters(self, bus, clock) -> None:
        post(bus, to="a1")
        for attempt, delay in [(1, 1), (2, 2)]:
            [message] = recv(bus, "a1", lease_s=LEASE)
            assert message.attempts == attempt
            assert nack(bus, message.id, message.lease_token, reason="busy").status == "pending"
            clock.advance(delay - 0.5)
            assert recv(bus, "a1", lease_s=LEASE) == []
            clock.advance(0.5)
        [last] = recv(bus, "a1", lease_s=LEASE)
        dead = nack(bus, last.id, last.lease_token, reason="busy")
        assert (dead.status, dead.dead_reason) == ("dead", "nacked on attempt 3 of 3: busy")
        assert bus_stats(bus).dead == 1

    def test_replay_requeues_a_dead_letter_and_keeps_tokens_growing(self, bus, clock) -> None:
        post(bus, to="a1", ttl_s=5)
        [first] = recv(bus, "a1", lease_s=LEASE)
        clock.advance(5)
        recv(bus, "a1", lease_s=LEASE)
        [dead] = dead_letters(bus)
        replayed = replay(bus, dead.id)
        assert (replayed.status, replayed.attempts, replayed.expires_at) == ("pending", 0, None)
        [again] = recv(bus, "a1", lease_s=LEASE)
        assert again.lease_token == first.lease_token + 1
        with pytest.raises(BadInput):
            replay(bus, dead.id)
        with pytest.raises(NotFound):
            replay(bus, 12345)

    def test_bus_stats_count_open_messages_per_queue(self, bus) -> None:
        post(bus, to="a1")
        post(bus, role="web")
        recv(bus, "a1", lease_s=LEASE)
        stats = bus_stats(bus)
        assert stats.open_by_queue == {"a1": 1, "role:web": 2}
        assert (stats.leased, stats.dead) == (1, 0)
