"""A living demo: a swarm of agents at work while the pipeline's stages run.

The demo agents act through the interfaces real agents use (register, heartbeat and
transition, claim their work, report progress, send, receive and ack messages), every
call going through :mod:`swarmops.demo.actions`; one agent falls silent so the
operations stage fails it over, one "commits" a compliance regression after
validation so the scheduled scan finds it. What the demo prints afterwards is read
from the store (:mod:`swarmops.demo.figures`), never counted by the demo itself.
"""

from __future__ import annotations

from swarmops.demo.figures import DemoFigures
from swarmops.demo.swarm import DemoSwarm
from swarmops.demo.workspace import prepare_workspace

__all__ = ["DemoFigures", "DemoSwarm", "prepare_workspace"]
