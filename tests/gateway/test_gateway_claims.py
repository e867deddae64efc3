"""Two agents claiming at once never share a contract: in the domain (concurrent units on
each store) and through the gateway (concurrent HTTP claims)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from gateway_seed import CONFIG, LiveGateway, seed_agents, seed_contracts

from swarmops.coordination.claim_contract import claim_next
from swarmops.fsm import load_agent_machine
from swarmops.store import Store, in_unit, open_store
from swarmops.store.schema import assignments, contracts

CLAIMERS = [f"c{n}" for n in range(8)]


def _owners(store: Store) -> dict[str, str | None]:
    with store.unit(read_only=True) as unit:
        return dict(unit.execute(sa.select(contracts.c.id, contracts.c.owner)).all())


def test_concurrent_claims_in_the_domain_never_share_a_contract(store_url: str) -> None:
    store = open_store(store_url, create=True)
    seed_agents(store, CLAIMERS)
    seed_contracts(store, 6)
    machine = load_agent_machine(CONFIG / "fsm.yaml")
    with ThreadPoolExecutor(len(CLAIMERS)) as pool:
        claims = list(pool.map(lambda a: in_unit(store, claim_next, machine, a), CLAIMERS))
    won = [(c.contract.id, a, c.token) for c, a in zip(claims, CLAIMERS, strict=True) if c.contract]
    assert len(won) == 6 and len({cid for cid, _, _ in won}) == 6
    owners = _owners(store)
    assert all(owners[cid] == agent for cid, agent, _ in won)
    with store.unit(read_only=True) as unit:
        rows = unit.execute(sa.select(assignments.c.contract_id, assignments.c.fence_token)).all()
    assert sorted(rows) == sorted((cid, token) for cid, _, token in won)
    store.dispose()


def test_concurrent_claims_through_the_gateway_never_share_a_contract(live: LiveGateway) -> None:
    def claim(agent: str) -> dict[str, object]:
        with live.client(agent) as client:
            response = client.post(f"/v1/agents/{agent}/contracts/claim")
            assert response.status_code == 200, response.text
            return response.json()

    with ThreadPoolExecutor(3) as pool:
        claims = list(pool.map(claim, ["a1", "a2", "a3", "a1", "a2", "a3"]))
    ids = [c["contract"]["id"] for c in claims if c["contract"]]  # type: ignore[index]
    assert len(ids) == 4 and len(set(ids)) == 4
