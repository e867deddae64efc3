"""``swarmops serve`` drains the outbox continuously: alerts and stage events committed
by any process reach Prefect within seconds, even when the process that raised them
had no Prefect API to send to."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

from swarmops.errors import SwarmopsError
from swarmops.outbox import Publisher, drain
from swarmops.settings import Settings
from tasks.outbox import publishers
from tasks.stores import store_for

INTERVAL_S = 5.0


class OutboxPump(threading.Thread):
    """A daemon thread that drains every ``interval_s`` until stopped."""

    def __init__(
        self,
        settings: Settings,
        interval_s: float = INTERVAL_S,
        chosen: Sequence[Publisher] | None = None,
    ) -> None:
        super().__init__(name="swarmops-outbox", daemon=True)
        self.settings, self.interval_s = settings, interval_s
        self.chosen = chosen
        self.stopped = threading.Event()

    def run(self) -> None:
        chosen = self.chosen if self.chosen is not None else publishers(self.settings)
        while not self.stopped.wait(self.interval_s):
            try:
                report = drain(store_for(self.settings.store_url), chosen)
            except SwarmopsError as error:  # the store flickered: the rows wait for the next turn
                print(f"swarmops: warning: outbox drain: {error.message}", file=sys.stderr)
                continue
            if report.failed:
                print(f"swarmops: warning: outbox: {report.summary()}", file=sys.stderr)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.interval_s + 30)
