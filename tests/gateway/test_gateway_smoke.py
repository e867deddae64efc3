"""The gateway end to end on each store: a session, a claim, progress, messages round trip."""

from __future__ import annotations

from gateway_seed import LiveGateway


def test_an_agent_works_through_the_gateway(live: LiveGateway) -> None:
    with live.client("a1") as a1, live.client("a2") as a2:
        session = a1.post("/v1/agents/a1/session")
        assert session.status_code == 200, session.text
        assert session.json()["agent"]["state"] == "IDLE"
        claimed = a1.post("/v1/agents/a1/contracts/claim").json()
        token, cid = claimed["token"], claimed["contract"]["id"]
        progress = a1.post(
            f"/v1/agents/a1/contracts/{cid}/progress", json={"percent": 50, "token": token}
        )
        assert progress.status_code == 200, progress.text
        assert progress.json()["status"] == "IN_PROGRESS"
        sent = a2.post("/v1/agents/a2/messages", json={"to": "a1", "body": {"hi": 1}})
        assert sent.status_code == 200, sent.text
        inbox = a1.post("/v1/agents/a1/inbox", json={"max_messages": 5}).json()["messages"]
        assert [m["body"] for m in inbox] == [{"hi": 1}]
        acked = a1.post(
            f"/v1/agents/a1/messages/{inbox[0]['id']}/ack", json={"token": inbox[0]["lease_token"]}
        )
        assert acked.json()["status"] == "acked", acked.text
