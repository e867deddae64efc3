"""The domain functions that do not take a unit yet, called inside the caller's unit.

Issue 11 moves every write of swarmops onto ``Unit``; until coordination and contracts
are converted, their functions take a ``Store`` (and open ``store.write()``) or an
``sa.Connection``. This module is the one place the service calls them from: each
runs on the caller's unit (its transactions become savepoints of it), so a service
call stays one unit of work. As the converted functions land, each wrapper here
becomes a direct call and this module goes away.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from swarmops.contracts import Contract, ContractEvent, ProgressRequest, ProgressResult
from swarmops.coordination import AssignmentReport, FailoverReport, Message, SendRequest, SendResult
from swarmops.fsm import Machine
from swarmops.settings import CoordinationSettings
from swarmops.store import Unit


class _UnitAsStore:
    """What the Store-taking coordination functions use of a store, bound to one unit."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit

    def now(self) -> datetime:
        return self.unit.now()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        with self.unit.savepoint():
            yield self.unit.connection

    read = write


def send(unit: Unit, request: SendRequest, policy: CoordinationSettings) -> SendResult:
    from swarmops.coordination import send_in

    return send_in(unit.connection, request, policy=policy, now=unit.now())


def recv(unit: Unit, agent_id: str, max_messages: int, lease_s: float) -> list[Message]:
    from swarmops.coordination import recv as recv_store

    bound: Any = _UnitAsStore(unit)
    return recv_store(bound, agent_id, max_messages=max_messages, lease_s=lease_s)


def ack(unit: Unit, message_id: int, token: int) -> Message:
    from swarmops.coordination import ack as ack_store

    bound: Any = _UnitAsStore(unit)
    return ack_store(bound, message_id, token)


def nack(unit: Unit, message_id: int, token: int, reason: str | None) -> Message:
    from swarmops.coordination import nack as nack_store

    bound: Any = _UnitAsStore(unit)
    return nack_store(bound, message_id, token, reason=reason)


def progress(
    unit: Unit, contract_id: str, agent_id: str, request: ProgressRequest
) -> ProgressResult:
    from swarmops.contracts import progress_in

    return progress_in(unit.connection, contract_id, agent_id, request, now=unit.now())


def contract(unit: Unit, contract_id: str) -> Contract:
    from swarmops.contracts.sql import fetch_contract

    return fetch_contract(unit.connection, contract_id)


def change_status(unit: Unit, contract_id: str, to_status: str, actor: str) -> ContractEvent:
    from swarmops.contracts import change_status as change

    return change(unit.connection, contract_id, to_status, actor=actor, now=unit.now())


def assign(unit: Unit, policy: CoordinationSettings) -> AssignmentReport:
    from swarmops.coordination import assign_in

    return assign_in(unit.connection, policy, now=unit.now())


def failover(unit: Unit, machine: Machine, policy: CoordinationSettings) -> FailoverReport:
    from swarmops.coordination import failover_in

    return failover_in(unit.connection, machine, policy, now=unit.now())
