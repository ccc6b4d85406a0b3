"""The gateway's billing query routes over a stand-in support service: roles, bodies, customers' scope."""

from __future__ import annotations

from uuid import uuid4

import grpc
import httpx
from billing.common.v1 import common_pb2
from billing.support.v1 import support_pb2

from services.gateway.app import create_app
from services.gateway.deps import Clients
from tests.unit.gateway.gateway_fakes import TENANT, FakeKeys, FakeService, rpc_error

ACCOUNT = str(uuid4())
QUERY = support_pb2.Query(query_id=str(uuid4()), account_id=ACCOUNT, state="open", version=3)


def gateway(support: FakeService | None, key: str = "support") -> httpx.AsyncClient:
    """A client of the gateway whose support service is a stand-in (None: not configured)."""
    clients = Clients(usage=FakeService(), rating=FakeService(), invoice=FakeService(), payment=FakeService(),
                      notify=FakeService(), timeout=5, bill_run_timeout=5, support=support)
    app = create_app(clients, FakeKeys())  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway",
                             headers={"Authorization": f"Bearer {key}"})


DISPUTE = {"invoice_id": str(uuid4()), "line_index": 2, "category": "usage_not_made",
           "subject": "Calls I never made", "body": "I was abroad.",
           "disputed_amount": {"amount": "4.00", "currency": "GBP"}}


async def test_a_customer_opens_a_dispute_on_their_own_account_as_themselves() -> None:
    support = FakeService(OpenQuery=QUERY)
    async with gateway(support, f"customer:{ACCOUNT}") as client:
        response = await client.post("/v1/queries", json=DISPUTE, headers={"Idempotency-Key": "k-1"})
        assert response.status_code == 201, response.text
        assert response.json()["version"] == 3
        assert response.json()["outcome"] is None and response.json()["disputed_amount"] is None
        other = await client.post("/v1/queries", json={**DISPUTE, "account_id": str(uuid4())})
        assert other.status_code == 404
    (request,) = support.requests["OpenQuery"]
    assert (request.tenant_id, request.account_id, request.request_id) == (str(TENANT), ACCOUNT, "k-1")
    assert (request.opened_by.role, request.opened_by.id) == ("customer", ACCOUNT)
    assert (request.line_index, request.disputed_amount.amount) == (2, "4.00")


async def test_staff_name_the_account_and_are_recorded_by_key() -> None:
    support = FakeService(OpenQuery=QUERY)
    async with gateway(support) as client:
        missing = await client.post("/v1/queries", json=DISPUTE)
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "account_id"
        opened = await client.post("/v1/queries", json={**DISPUTE, "account_id": ACCOUNT, "line_index": None})
        assert opened.status_code == 201
    (request,) = support.requests["OpenQuery"]
    assert request.opened_by.role == "support" and request.opened_by.id
    assert not request.HasField("line_index")
    assert request.request_id


async def test_bad_bodies_are_refused_naming_the_field_without_calling_the_service() -> None:
    support = FakeService()
    async with gateway(support) as client:
        for body, field in [({**DISPUTE, "account_id": ACCOUNT, "category": "angry"}, "category"),
                            ({**DISPUTE, "account_id": ACCOUNT, "line_index": -1}, "line_index"),
                            ({**DISPUTE, "account_id": ACCOUNT, "body": ""}, "body")]:
            response = await client.post("/v1/queries", json=body)
            assert response.status_code == 422
            assert field in [e["field"] for e in response.json()["errors"]]
        bad_outcome = await client.post(f"/v1/queries/{QUERY.query_id}/resolve",
                                        json={"outcome": "refund", "note": "x"})
        assert bad_outcome.status_code == 422
    assert support.requests == {}


async def test_customers_see_only_their_own_queries_and_may_not_settle_them() -> None:
    support = FakeService(GetQuery=QUERY, ListQueries=support_pb2.ListQueriesResponse(queries=[QUERY]))
    async with gateway(support, f"customer:{uuid4()}") as stranger:
        assert (await stranger.get(f"/v1/queries/{QUERY.query_id}")).status_code == 404
        assert (await stranger.get("/v1/queries", params={"account_id": ACCOUNT})).status_code == 404
        listed = await stranger.get("/v1/queries")
        assert listed.status_code == 200
        for action in ("resolve", "reject", "assign", "ask-customer"):
            response = await stranger.post(f"/v1/queries/{QUERY.query_id}/{action}", json={})
            assert response.status_code == 403, action
    (request,) = support.requests["ListQueries"]
    assert request.account_id != ACCOUNT


async def test_the_auditor_reads_but_does_not_write() -> None:
    support = FakeService(ListQueries=support_pb2.ListQueriesResponse(), GetHistory=common_pb2.History(
        aggregate_type="query", aggregate_id=QUERY.query_id, events=[common_pb2.HistoryEvent(
            version=1, type="Query.Opened", occurred_at="2026-05-04T09:00:00+00:00", data_json="{}")]))
    async with gateway(support, "auditor") as client:
        assert (await client.get("/v1/queries", params={"overdue_only": "true"})).status_code == 200
        history = await client.get(f"/v1/queries/{QUERY.query_id}/history")
        assert history.json()["events"][0]["type"] == "Query.Opened"
        assert (await client.post("/v1/queries", json={**DISPUTE, "account_id": ACCOUNT})).status_code == 403
    assert support.requests["ListQueries"][0].overdue_only


async def test_a_refused_settlement_is_a_422_naming_the_field_and_no_support_service_is_a_503() -> None:
    violation = rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "credit_lines[0].amount.amount: at most 4.00",
                          "credit_lines[0].amount.amount", "at most 4.00 is left on the line")
    body = {"outcome": "credit_note", "note": "Refunded",
            "credit_lines": [{"line_index": 1, "amount": {"amount": "9.00", "currency": "GBP"}}]}
    async with gateway(FakeService(ResolveQuery=violation)) as client:
        response = await client.post(f"/v1/queries/{QUERY.query_id}/resolve", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "credit_lines[0].amount.amount"
    async with gateway(None) as client:
        assert (await client.get("/v1/support-policy")).status_code == 503
