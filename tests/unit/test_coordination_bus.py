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
    keep_refusal,
    nack,
    reap,
    recv,
    release,
    replay,
    send,
)
from swarmops.errors import BadInput, LeaseLost, NotFound
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit
from swarmops.store.schema import fencing_rejections, messages
from swarmops.testing import seed_agent

POLICY = CoordinationSettings(max_attempts=3, max_body_bytes=1024)
LEASE = 30.0


@pytest.fixture
def bus(store):  # type: ignore[no-untyped-def]
    for agent_id, role in [("a1", "web"), ("a2", "web"), ("a3", "ops"), ("boss", "lead")]:
        seed_agent(store, agent_id, role)
    return store


def count_messages(store) -> int:  # type: ignore[no-untyped-def]
    with store.unit(read_only=True) as unit:
        return int(unit.scalar(sa.select(sa.func.count()).select_from(messages)))


def post(store, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("sender", "boss")
    fields.setdefault("body", {"n": 1})
    return in_unit(store, send, SendRequest(**fields), POLICY)


class TestSend:
    """Sending and claiming: audiences, order, idempotency, validation."""

    def test_direct_send_is_claimed_with_a_lease(self, bus, clock) -> None:
        sent = post(bus, to="a1", body={"task": "x"})
        [message] = in_unit(bus, recv, "a1", lease_s=LEASE)
        assert (message.id, message.body, message.recipient) == (sent.ids[0], {"task": "x"}, "a1")
        assert (message.attempts, message.lease_token, message.status) == (1, 1, "leased")
        assert (message.lease_expires_at - clock.now()).total_seconds() == LEASE
        assert in_unit(bus, recv, "a1", lease_s=LEASE) == []
        assert in_unit(bus, recv, "a2", lease_s=LEASE) == []

    def test_highest_priority_then_oldest_first_up_to_max(self, bus) -> None:
        ids = [post(bus, to="a1", priority=p).ids[0] for p in (1, 5, 5, 0, 9)]
        first = in_unit(bus, recv, "a1", max_messages=3, lease_s=LEASE)
        assert [m.id for m in first] == [ids[4], ids[1], ids[2]]
        rest = in_unit(bus, recv, "a1", max_messages=10, lease_s=LEASE)
        assert [m.id for m in rest] == [ids[0], ids[3]]

    def test_role_and_broadcast_make_one_copy_per_agent(self, bus) -> None:
        role = post(bus, role="web")
        assert (role.recipients, role.queue) == (["a1", "a2"], "role:web")
        everyone = post(bus, broadcast=True)
        assert (everyone.recipients, everyone.queue) == (["a1", "a2", "a3"], "broadcast")
        [copy] = in_unit(bus, recv, "a2", max_messages=1, lease_s=LEASE)
        assert (copy.recipient, copy.queue) == ("a2", "role:web")
        assert len(in_unit(bus, recv, "a1", max_messages=5, lease_s=LEASE)) == 2

    def test_a_sender_repeating_its_key_gets_the_first_send(self, bus) -> None:
        first = post(bus, role="web", key="k1")
        again = post(bus, role="web", key="k1")
        assert again.ids == first.ids and again.duplicate and not first.duplicate
        assert (again.recipients, again.queue) == (first.recipients, first.queue)
        with pytest.raises(BadInput, match="already used for another request"):
            post(bus, to="a3", key="k1")  # same sender, same key, another request
        assert count_messages(bus) == 2

    def test_two_senders_with_one_key_string_each_get_their_own_send(self, bus) -> None:
        """The key is the sender's (scope ``sender:<id>``), not global nor per recipient."""
        boss = post(bus, to="a1", key="shared", body={"from": "boss"})
        ops = post(bus, to="a1", key="shared", body={"from": "a3"}, sender="a3")
        assert not boss.duplicate and not ops.duplicate and boss.ids != ops.ids
        assert post(bus, to="a1", key="shared", body={"from": "a3"}, sender="a3") == ops.model_copy(
            update={"duplicate": True}
        )
        delivered = in_unit(bus, recv, "a1", max_messages=5, lease_s=LEASE)
        assert [(m.sender, m.body) for m in delivered] == [
            ("boss", {"from": "boss"}),
            ("a3", {"from": "a3"}),
        ]

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
        replies = in_unit(bus, recv, "boss", max_messages=5, lease_s=LEASE)
        assert [(r.reply_to, r.correlation_id) for r in replies] == [
            (tagged.ids[0], "job-7"),
            (plain.ids[0], str(plain.ids[0])),
        ]

    def test_recv_validates_its_input(self, bus) -> None:
        with pytest.raises(NotFound):
            in_unit(bus, recv, "ghost", lease_s=LEASE)
        with pytest.raises(BadInput):
            in_unit(bus, recv, "a1", max_messages=0, lease_s=LEASE)


class TestVisibility:
    """When a message can be claimed: TTL, not-before, lease expiry, release."""

    def test_time_to_live_sends_unclaimed_messages_to_the_dead_letters(self, bus, clock) -> None:
        sent = post(bus, to="a1", ttl_s=10)
        clock.advance(10)
        assert in_unit(bus, recv, "a1", lease_s=LEASE) == []
        [dead] = dead_letters(bus)
        assert (dead.id, dead.dead_reason) == (sent.ids[0], "expired: time-to-live passed")

    def test_not_before_hides_a_message_until_it_is_due(self, bus, clock) -> None:
        post(bus, to="a1", delay_s=60)
        clock.advance(59)
        assert in_unit(bus, recv, "a1", lease_s=LEASE) == []
        clock.advance(1)
        assert len(in_unit(bus, recv, "a1", lease_s=LEASE)) == 1

    def test_an_expired_lease_is_redelivered_and_fences_the_old_token(self, bus, clock) -> None:
        post(bus, to="a1")
        [old] = in_unit(bus, recv, "a1", lease_s=LEASE)
        clock.advance(LEASE)
        [new] = in_unit(bus, recv, "a1", lease_s=LEASE)
        assert (new.id, new.attempts, new.lease_token) == (old.id, 2, old.lease_token + 1)
        with pytest.raises(LeaseLost):
            keep_refusal(bus, ack, old.id, old.lease_token)
        with pytest.raises(LeaseLost):
            keep_refusal(bus, nack, old.id, old.lease_token)
        with bus.unit(read_only=True) as conn:
            status = conn.scalar(sa.select(messages.c.status).where(messages.c.id == old.id))
            rejected = conn.execute(sa.select(fencing_rejections)).all()
        assert status == "leased"
        assert [(r.action, r.token, r.current_token) for r in rejected] == [
            ("ack", 1, 2),
            ("nack", 1, 2),
        ]
        assert in_unit(bus, ack, new.id, new.lease_token).status == "acked"
        assert (
            in_unit(bus, ack, new.id, new.lease_token).status == "acked"
        )  # a retried ack is one effect

    def test_an_expired_lease_on_the_last_attempt_dead_letters(self, bus, clock) -> None:
        post(bus, to="a1")
        for _ in range(POLICY.max_attempts):
            assert len(in_unit(bus, recv, "a1", lease_s=LEASE)) == 1
            clock.advance(LEASE)
        assert in_unit(bus, recv, "a1", lease_s=LEASE) == []
        [dead] = dead_letters(bus, recipient="a1")
        assert dead.dead_reason == "lease expired on the last attempt"

    def test_release_makes_leases_visible_and_refuses_the_old_token(self, bus) -> None:
        post(bus, to="a1")
        [held] = in_unit(bus, recv, "a1", lease_s=LEASE)
        with bus.unit() as unit:
            assert release(unit, "a1") == 1
        with pytest.raises(LeaseLost):
            in_unit(bus, ack, held.id, held.lease_token)
        [again] = in_unit(bus, recv, "a1", lease_s=LEASE)
        assert again.lease_token == held.lease_token + 1


class TestSettle:
    """Ack, batch ack, nack with backoff, dead letters, replay and stats."""

    def test_a_batch_ack_acks_held_leases_and_records_lost_ones(self, bus, clock) -> None:
        post(bus, to="a1")
        post(bus, to="a1")
        first, second = in_unit(bus, recv, "a1", max_messages=2, lease_s=LEASE)
        clock.advance(LEASE)
        # the older one, re-leased
        [taken] = in_unit(bus, recv, "a1", max_messages=1, lease_s=LEASE)
        receipts = [(first.id, first.lease_token), (second.id, second.lease_token)]
        assert in_unit(bus, ack_many, receipts) == AckBatch(acked=[second.id], lost=[taken.id])
        assert in_unit(bus, ack_many, receipts[1:]) == AckBatch(acked=[second.id], lost=[])
        assert in_unit(bus, ack_many, []) == AckBatch(acked=[], lost=[])
        with bus.unit(read_only=True) as conn:
            rejected = conn.scalars(sa.select(fencing_rejections.c.resource_id))
        assert rejected == [str(taken.id)]

    def test_nack_backs_off_exponentially_then_dead_letters(self, bus, clock) -> None:
        post(bus, to="a1")
        for attempt, delay in [(1, 1), (2, 2)]:
            [message] = in_unit(bus, recv, "a1", lease_s=LEASE)
            assert message.attempts == attempt
            assert (
                in_unit(bus, nack, message.id, message.lease_token, reason="busy").status
                == "pending"
            )
            clock.advance(delay - 0.5)
            assert in_unit(bus, recv, "a1", lease_s=LEASE) == []
            clock.advance(0.5)
        [last] = in_unit(bus, recv, "a1", lease_s=LEASE)
        dead = in_unit(bus, nack, last.id, last.lease_token, reason="busy")
        assert (dead.status, dead.dead_reason) == ("dead", "nacked on attempt 3 of 3: busy")
        assert bus_stats(bus).dead == 1

    def test_replay_requeues_a_dead_letter_and_keeps_tokens_growing(self, bus, clock) -> None:
        post(bus, to="a1", ttl_s=5)
        [first] = in_unit(bus, recv, "a1", lease_s=LEASE)
        clock.advance(5)
        in_unit(bus, recv, "a1", lease_s=LEASE)
        [dead] = dead_letters(bus)
        replayed = in_unit(bus, replay, dead.id)
        assert (replayed.status, replayed.attempts, replayed.expires_at) == ("pending", 0, None)
        [again] = in_unit(bus, recv, "a1", lease_s=LEASE)
        assert again.lease_token == first.lease_token + 1
        with pytest.raises(BadInput):
            in_unit(bus, replay, dead.id)
        with pytest.raises(NotFound):
            in_unit(bus, replay, 12345)

    def test_the_dead_letter_count_never_goes_down_on_replay(self, bus, clock) -> None:
        post(bus, to="a1", ttl_s=5)
        clock.advance(5)
        assert in_unit(bus, reap) == 1
        assert (bus_stats(bus).dead, bus_stats(bus).dead_lettered) == (1, 1)
        [dead] = dead_letters(bus)
        in_unit(bus, replay, dead.id)
        assert (bus_stats(bus).dead, bus_stats(bus).dead_lettered) == (0, 1)
        [again] = in_unit(bus, recv, "a1", lease_s=LEASE)
        for _ in range(POLICY.max_attempts - 1):
            in_unit(bus, nack, again.id, again.lease_token)
            clock.advance(300)
            [again] = in_unit(bus, recv, "a1", lease_s=LEASE)
        assert in_unit(bus, nack, again.id, again.lease_token).dead_count == 2
        assert (bus_stats(bus).dead, bus_stats(bus).dead_lettered) == (1, 2)

    def test_bus_stats_count_open_messages_per_queue(self, bus) -> None:
        post(bus, to="a1")
        post(bus, role="web")
        in_unit(bus, recv, "a1", lease_s=LEASE)
        stats = bus_stats(bus)
        assert stats.open_by_queue == {"a1": 1, "role:web": 2}
        assert (stats.leased, stats.dead) == (1, 0)
