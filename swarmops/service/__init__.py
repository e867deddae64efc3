"""The service both doors of the gateway call: REST routes and MCP tools alike.

Each function is a thin composition of domain functions inside the one unit it is
given, acting for one authenticated caller: it checks what the caller may do
(``access``), calls the domain and shapes the answer (``models``). Neither the
routes nor the tools hold logic of their own; the CLI's direct mode calls the same
domain functions.
"""

from __future__ import annotations

from swarmops.service.access import Forbidden, require_operator, require_self
from swarmops.service.context import Services, build_services

__all__ = ["Forbidden", "Services", "build_services", "require_operator", "require_self"]
