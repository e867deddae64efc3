"""The path parameters of the REST routes, validated by the one identifier rule
(swarmops.identifiers), so a path the domain would refuse never reaches it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from swarmops.identifiers import MAX_ID, PATTERN

AgentId = Annotated[str, Path(min_length=1, max_length=MAX_ID, pattern=PATTERN)]
ContractId = Annotated[str, Path(min_length=1, max_length=MAX_ID, pattern=PATTERN)]
