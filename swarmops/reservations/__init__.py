"""Path reservations: leases on path globs of a repository, with fencing tokens.

An agent reserves paths or globs (exclusive, or shared for readers) for a lease;
the answer carries a fencing token or, on conflict, who holds what until when.
Heartbeats renew an agent's leases, failover and contract completion or
reassignment release them, and an expiry is never silent (a message to the holder
and an outbox event). ``globs`` documents when two patterns overlap.
"""

from __future__ import annotations

from swarmops.reservations.globs import covers, normalise, overlaps
from swarmops.reservations.grant import lock_repository, reserve
from swarmops.reservations.lifecycle import (
    expire_due,
    release,
    release_agent,
    release_contract,
    renew,
)
from swarmops.reservations.models import (
    DEFAULT_TTL_S,
    Conflict,
    Ended,
    Reservation,
    ReserveRequest,
    ReserveResult,
)
from swarmops.reservations.queries import held_by_others, list_reservations, live

__all__ = [
    "DEFAULT_TTL_S",
    "Conflict",
    "Ended",
    "Reservation",
    "ReserveRequest",
    "ReserveResult",
    "covers",
    "expire_due",
    "held_by_others",
    "list_reservations",
    "live",
    "lock_repository",
    "normalise",
    "overlaps",
    "release",
    "release_agent",
    "release_contract",
    "renew",
    "reserve",
]
