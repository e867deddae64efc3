"""An example Automation: when contracts stall, rebalance the swarm's work at once.

``swarmops.contract.stalled`` events come from the progress rollup (one per contract
that newly stalls); three within ten minutes mean work is piling up, so the
``assign-work`` deployment runs immediately instead of at its next 5-minute slot.
Create it with ``python deployments/automations.py`` against a server that has the
deployments (``prefect deploy --all`` or ``swarmops serve``).
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from prefect.automations import Automation
from prefect.events.actions import RunDeployment
from prefect.events.schemas.automations import EventTrigger, Posture

NAME = "swarmops-rebalance-on-stalled-work"
DEPLOYMENT = "assign-work/assign-work"


def rebalance_on_stall(deployment_id: UUID) -> Automation:
    """The Automation definition, bound to the assign-work deployment's id."""
    return Automation(
        name=NAME,
        description="Three contracts stalling within 10 minutes: rebalance now.",
        trigger=EventTrigger(
            expect={"swarmops.contract.stalled"},
            match={"prefect.resource.id": "swarmops.contract.*"},
            posture=Posture.Reactive,
            threshold=3,
            within=timedelta(minutes=10),
        ),
        actions=[RunDeployment(source="selected", deployment_id=deployment_id)],
    )


def create() -> Automation:
    """Look up assign-work and create the Automation on the configured server."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(DEPLOYMENT)
    return rebalance_on_stall(deployment.id).create()


if __name__ == "__main__":
    print(f"created automation {create().id}")
