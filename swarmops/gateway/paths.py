"""The path parameters of the REST routes, validated by the same patterns as the domain's
ids, so a path the domain would refuse never reaches it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from swarmops.contracts.spec import ID_PATTERN as CONTRACT_ID
from swarmops.fsm.models import ID_PATTERN as AGENT_ID

AgentId = Annotated[str, Path(min_length=1, max_length=128, pattern=AGENT_ID.pattern)]
ContractId = Annotated[str, Path(min_length=1, max_length=128, pattern=CONTRACT_ID)]
