"""Direct mode: the hooks' questions answered from the store itself (no gateway).

For a host that holds the store: the git pre-commit guard, a single-host swarm. It
imports SQLAlchemy and the domain, so it starts slower than the gateway client; the
answers are the same ones the gateway's routes give (the same service functions).
"""

from __future__ import annotations

from typing import Any

from swarmops.hooks.client import Unreachable


class StoreClient:
    """``Coordinator`` over a store URL, acting as one agent."""

    def __init__(self, url: str, agent_id: str) -> None:
        from swarmops.errors import SwarmopsError
        from swarmops.fsm import load_agent_machine
        from swarmops.settings import load_settings
        from swarmops.store import open_store

        try:
            self.machine = load_agent_machine(load_settings(store_url=url).fsm)
            self.store = open_store(url)
        except SwarmopsError as exc:
            raise Unreachable(f"store unreachable: {exc.message}") from exc
        self.agent_id = agent_id

    def start_session(self, tool: str, session_id: str | None) -> dict[str, Any]:
        from swarmops.reservations.service import start_session

        return self._run(start_session, self.machine, self.agent_id, tool, session_id)

    def heartbeat(self) -> None:
        from swarmops.reservations.service import beat

        self._run(beat, self.machine, self.agent_id)

    def stop_session(self) -> None:
        from swarmops.reservations.service import stop_session

        self._run(stop_session, self.agent_id)

    def conflicts(self, repository: str, paths: list[str]) -> list[dict[str, Any]]:
        from swarmops.reservations.service import check_paths

        return self._run(check_paths, self.agent_id, repository, paths)["conflicts"]

    def close(self) -> None:
        self.store.dispose()

    def _run(self, work: Any, *args: Any) -> Any:
        from swarmops.errors import SwarmopsError
        from swarmops.store import in_unit

        try:
            return in_unit(self.store, work, *args)
        except SwarmopsError as exc:  # the agent unknown, the store down: fail open
            raise Unreachable(exc.message) from exc
