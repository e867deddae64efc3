"""Reservation statements whose form differs by database: the repository's row lock,
and the renewal every heartbeat runs, as plain SQL for the driver cursor.

Every reservation of a repository first makes sure its ``reservation_repos`` row
exists (a concurrent first reservation skips the insert) and then locks it, so two
agents reserving overlapping paths of one repository at once are decided one after
the other: the second reads what the first committed. SQLite's write transaction
already holds the whole database, so its form is the plain read.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import reservation_repos
from swarmops.store.sql.named import for_update, insert_ignoring, plain

ENSURE_REPO = insert_ignoring("reservation_repos.ensure", reservation_repos, ["repository"])
LOCK_REPO = for_update(
    "reservation_repos.lock",
    sa.select(reservation_repos.c.fence).where(
        reservation_repos.c.repository == sa.bindparam("b_repository")
    ),
)

# A heartbeat renews the agent's live leases: the swarm's most frequent write runs these.
RENEWABLE = plain(
    "reservations.renewable",
    "SELECT id, ttl_s FROM reservations "
    "WHERE agent_id = {m} AND ended_at IS NULL AND expires_at > {m}",
)
RENEW = plain(
    "reservations.renew",
    "UPDATE reservations SET renewed_at = {m}, expires_at = {m} "
    "WHERE id = {m} AND ended_at IS NULL",
)
