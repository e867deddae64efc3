"""The demo swarm: every registered agent acting on its own, one tick at a time, in a
background thread for a bounded time.

Each tick every agent heartbeats (all of them first), onboards when it is new, reads and acknowledges its
messages (answering the coordinator's pings), claims the work it holds and reports
progress on it. The coordination agent balances open work and pings the owners. The
owner of the most urgent work in progress falls silent (no heartbeat, no acks) until
the operations stage's failover sweep takes it offline and hands its work on; once the
deployment stage has recorded the compliance baseline, one agent commits a function
with too many parameters (a minor finding: the validation gate stops major ones), for
the scheduled scan to record as new.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from swarmops.demo.actions import Actions
from swarmops.fsm import Agent, load_agent_machine
from swarmops.settings import Settings
from swarmops.store import open_store

TICK_S = 1.0
MAIL_EVERY = 2  # ticks between an agent's mail rounds (agents take turns)
PROGRESS_EVERY = 3  # ticks between progress reports
STEP_PERCENT = 10.0
COORDINATE_EVERY = 3  # ticks between the coordinator's rounds


class Habits:
    """What one agent does in a tick, through :class:`Actions` only."""

    def __init__(self, act: Actions) -> None:
        self.act = act

    def live(self, agent: Agent, tick: int, turn: int) -> bool:
        """One tick of ``agent`` (``turn``: its place in the roster); True when it
        reported progress."""
        act = self.act
        if agent.state == "ONBOARDING":
            act.onboard(agent.id)
        if (tick + turn) % MAIL_EVERY == 0:
            self.read_mail(agent)
        held = act.held_contracts(agent.id)
        if held and agent.state in ("IDLE", "ONBOARDING"):
            act.move(agent.id, "CONTRACT_ACTIVE", "claim")
        if not held and agent.state == "CONTRACT_ACTIVE":
            act.move(agent.id, "IDLE", "complete")
        if not held or tick % PROGRESS_EVERY:
            return False
        percents = act.percent_done()
        reported = [
            act.report_progress(c, agent.id, min(100.0, percents.get(c.id, 0.0) + STEP_PERCENT))
            for c in held
        ]
        return any(reported)

    def read_mail(self, agent: Agent) -> None:
        """Acknowledge every message; answer a ping with a pong to its sender."""
        for message in self.act.receive(agent.id):
            body = message.body if isinstance(message.body, dict) else {}
            if body.get("kind") == "ping":
                reply = {"sender": agent.id, "to": message.sender, "body": {"kind": "pong"}}
                self.act.send({**reply, "reply_to": message.id})
            self.act.ack(message)

    def coordinate(self, coordinator: str, roster: list[Agent]) -> None:
        """Balance open work, then ping every agent that holds some."""
        if self.act.open_contracts():
            self.act.assign()
        for agent in roster:
            if agent.id != coordinator and self.act.held_contracts(agent.id):
                self.act.send({"sender": coordinator, "to": agent.id, "body": {"kind": "ping"}})


class DemoSwarm:
    """The swarm in a background thread until :meth:`stop` or ``duration_s`` runs out."""

    def __init__(self, settings: Settings, root: Path, duration_s: float) -> None:
        self.settings, self.root, self.duration_s = settings, root, duration_s
        self.silent: str | None = None
        self.regressed: Path | None = None
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-swarm", daemon=True)

    def start(self) -> DemoSwarm:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the swarm; an error that ended it early is raised here."""
        self._stop.set()
        self._thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        store = open_store(self.settings.store_url, migrate=False)
        machine = load_agent_machine(self.settings.fsm)
        habits = Habits(Actions(store, machine, self.settings.coordination))
        deadline = time.monotonic() + self.duration_s
        try:
            tick = 0
            while not self._stop.is_set() and time.monotonic() < deadline:
                self.step(habits, tick)
                tick += 1
                self._stop.wait(TICK_S)
        except BaseException as error:  # handed to the caller by stop()
            self.error = error
        finally:
            store.dispose()

    def step(self, habits: Habits, tick: int) -> None:
        """One tick of the whole swarm."""
        roster = habits.act.agents()
        for agent in roster:  # heartbeats first, so a slow tick never looks like silence
            if agent.id != self.silent:
                habits.act.heartbeat(agent.id)
        for turn, agent in enumerate(roster):
            if agent.id != self.silent:
                habits.live(agent, tick, turn)
        if self.silent is None:  # the owner of the most urgent work in progress goes quiet
            self.silent = habits.act.most_urgent_owner()
        coordinator = next((a.id for a in roster if a.role == "coordination"), None)
        if coordinator not in (None, self.silent) and tick % COORDINATE_EVERY == 0:
            habits.coordinate(coordinator, roster)
        if self.regressed is None and "deployment" in habits.act.stages_done():
            self.regressed = habits.act.commit_regression(self.root)
